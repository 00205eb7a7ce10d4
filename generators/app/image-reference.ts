/**
 * `--image` and `--ingress-host`: what the Kubernetes manifests deploy and where an Ingress
 * routes from. Checked here so `kubectl apply` never meets a reference or host the API server
 * or kustomize refuses.
 */
import { InputError } from '../lib/input-error.js';

/** The tag the manifests deploy when `--image` is not given: the first release, never `latest`. */
export const DEFAULT_IMAGE_TAG = '0.1.0';

/** kustomization.yaml's `images` entry for the project's image (kubectl.docs.kubernetes.io, "images"). */
export interface KustomizeImage {
  /** the name the manifests write, the project's */
  name: string;
  /** the repository when it is not `name` (a registry's, e.g. `registry.example/team/shop`); '' to keep `name` */
  newName: string;
  /** '' when a digest pins the image */
  newTag: string;
  /** `algorithm:hex`, '' for none */
  digest: string;
}

// distribution/reference's grammar (github.com/distribution/reference, regexp.go): a path
// component is lowercase alphanumerics joined by `.`, `_`, `__` or dashes; a first component with
// a `.` or a `:`, or `localhost`, is a registry; a tag is 1-128 word characters, dots and dashes
// not starting with either; a digest is `algorithm:hex`.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::\d+)?$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * `--image REPOSITORY:TAG` or `REPOSITORY@DIGEST`, e.g. `registry.example/shop:1.4.2`.
 * @param raw - the flag's value; '' or absent for the default
 * @returns the reference, trimmed; '' for the default (`NAME:0.1.0`)
 * @throws InputError naming `--image` for a reference Docker's grammar refuses, one without a
 *   tag or digest (which means `latest`), or `latest`: with `imagePullPolicy: IfNotPresent` a node
 *   keeps the first `latest` it pulled (kubernetes.io/docs/concepts/containers/images, "Image pull policy")
 */
export function parseImageReference(raw: unknown): string {
  const text = String(raw ?? '').trim();
  if (text === '') return '';
  const fix = 'pass REPOSITORY:TAG with a tag that changes with each build, e.g. --image registry.example/shop:1.4.2';
  const parsed = splitReference(text);
  if (parsed === undefined) throw new InputError('--image', `"${text}" is not an image reference`, fix);
  if (parsed.tag === undefined && parsed.digest === undefined)
    throw new InputError('--image', `"${text}" has no tag, which means latest`, fix);
  if (parsed.tag === 'latest' && parsed.digest === undefined)
    throw new InputError('--image', `"${text}" deploys latest, which nodes keep once pulled (IfNotPresent)`, fix);
  return text;
}

/** A reference's repository, tag and digest; undefined when the grammar refuses it. */
function splitReference(text: string): { repository: string; tag?: string; digest?: string } | undefined {
  const [named, digest, ...extra] = text.split('@');
  if (extra.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? named : named.slice(0, colon);
  const tag = colon < 0 ? undefined : named.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const parts = repository.split('/');
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  if (hasDomain && !DOMAIN.test(parts[0])) return undefined;
  const path = hasDomain ? parts.slice(1) : parts;
  if (repository.length > 255 || path.length === 0 || !path.every(part => PATH_COMPONENT.test(part))) return undefined;
  return { repository, tag, digest };
}

/**
 * The kustomization `images` entry that makes the manifests' `image: NAME` the `--image` reference.
 * @param name - the project's name, which the manifests write as the image
 * @param reference - a reference {@link parseImageReference} accepted; '' for `NAME:0.1.0`
 */
export function kustomizeImage(name: string, reference: string): KustomizeImage {
  const parsed = reference === '' ? undefined : splitReference(reference);
  if (parsed === undefined) return { name, newName: '', newTag: DEFAULT_IMAGE_TAG, digest: '' };
  return {
    name,
    newName: parsed.repository === name ? '' : parsed.repository,
    // A digest pins the image whatever the tag says, and kustomize writes only one of them.
    newTag: parsed.digest === undefined ? (parsed.tag ?? '') : '',
    digest: parsed.digest ?? '',
  };
}

// An Ingress rule's host: an RFC 1123 subdomain, or one wildcard label in front
// (kubernetes.io/docs/concepts/services-networking/ingress, "Hostname wildcards").
const HOST = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * `--ingress-host`: the host name an Ingress routes to the Service, e.g. `shop.example.com`.
 * @returns the host, trimmed and lowercased; '' for no Ingress
 * @throws InputError naming `--ingress-host` for what is not a DNS name (an IP address, a port, a path, a scheme)
 */
export function parseIngressHost(raw: unknown): string {
  const text = String(raw ?? '')
    .trim()
    .toLowerCase();
  if (text === '') return '';
  if (text.length > 253 || !HOST.test(text) || /^[\d.]+$/.test(text))
    throw new InputError(
      '--ingress-host',
      `"${text}" is not a DNS host name`,
      'pass the name alone, without scheme, port or path, e.g. --ingress-host shop.example.com',
    );
  return text;
}
