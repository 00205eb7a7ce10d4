import Mustache from 'mustache';

/**
 * Renders a mustache template with no HTML escaping: the outputs are Apache configs,
 * shell, YAML and Dockerfiles, where `&` must stay `&`. Values reaching templates are
 * validated by the generator first (names, numbers, paths), so no escaping is needed.
 */
export function renderTemplate(template: string, view: object): string {
  return Mustache.render(template, view, {}, { escape: (value: string) => value });
}
