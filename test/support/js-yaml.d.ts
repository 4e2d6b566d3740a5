// js-yaml ships no typings of its own; this is the one function the compose spec uses.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
