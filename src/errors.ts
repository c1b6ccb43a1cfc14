/**
 * Something that stops the command (exit 2): one sentence with the file. Its own module so that
 * the CLI's start-up can recognise it without loading the pipeline (readers, rules, parsers).
 */
export class UsageError extends Error {}
