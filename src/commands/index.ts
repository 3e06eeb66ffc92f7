/**
 * What adapters may use: the ways in (a line, raw option values, a button, a form submission), the
 * command table for what they derive (Discord registration, forms), and the reply types. Adapters
 * import this module and `app/ports` types, never a use case.
 */
export type { AppContext, Invocation } from "../app/context.js";
export { BUTTONS, checkSubmission, dispatch, execute, pressButton, runWith, submitForm, type Submission } from "./execute.js";
export type { FormField, FormView, Reply } from "./reply.js";
export { argsOf, COMMANDS, TEXT_MAX, TITLE_MAX, type Arg, type Choice, type Spec } from "./table.js";
export { checkInput, CONTROL_CHARS, excerpt, fit } from "./input.js";
export { quote } from "./lexer.js";
export { openIncidents, recordPin, unsubscribe, unsubscribeTarget } from "./queries.js";
export { precheck } from "./precheck.js";
export { UNUSABLE } from "./unusable.js";
export { readStatusPage } from "../app/status/read.js";
export { scheduleShifts, type ScheduleShifts } from "../app/oncall/calendar.js";
