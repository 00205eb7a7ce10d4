import Mustache from 'mustache';

/**
 * Renders a mustache template with no HTML escaping: the outputs are Apache configs,
 * shell, YAML and Dockerfiles, where `&` must stay `&`. Values reaching templates are
 * validated by the generator first (names, numbers, paths), so no escaping is needed.
 * @param partial - the text of the partial `{{> name}}` names (`templates/<name>.mustache`),
 *   indented as the tag is; parts several manifests share
 */
export function renderTemplate(template: string, view: object, partial?: (name: string) => string): string {
  return Mustache.render(template, view, partial ?? {}, { escape: (value: string) => value });
}

/** Where the partial `{{> name}}` lives, relative to `templates/`. */
export function partialTemplate(name: string): string {
  return `${name}.mustache`;
}
