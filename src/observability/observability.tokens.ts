/** The process's pino logger (request lines and the application's `Logger` calls). */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** Where the JSON log lines go: stdout unless a test captures them. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
