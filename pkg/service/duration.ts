/** Go-style durations for the serve flags: the one parser lives with the configuration. */
export { parseDurationMs } from '../config/duration.js';
