/**
 * The query of a route that takes no parameters. Declaring it lets the global validation pipe
 * refuse an unknown parameter (`?limit=2` on a route without paging) as it does on every other
 * route, instead of answering as if it had not been sent.
 */
export class NoQuery {}
