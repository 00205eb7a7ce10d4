/**
 * Misspelt options and the one line yo wsgi-apache refuses each with (a suggestion, and where
 * every option is listed): the same in-process (yeoman-test) and from the packed package under yo.
 */
export const MISSPELT_OPTIONS: [words: string[], message: RegExp][] = [
  [
    ['--prot', '9000'],
    /^--prot: is not an option of yo wsgi-apache\. Fix: did you mean --port\? \(yo wsgi-apache --help lists every option\)\.$/,
  ],
  [['--kubernets'], /^--kubernets: is not an option of yo wsgi-apache\. Fix: did you mean --kubernetes\?/],
];
