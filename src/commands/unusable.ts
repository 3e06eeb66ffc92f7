/**
 * What a person is told when a surface hands the bot something it cannot use (a button or form it
 * did not make, a payload without its parts): one sentence each, the same on every platform.
 */
export const UNUSABLE = {
  noAction: "That click carried no action; try the button again.",
  unknownButton: "That button is not one the bot knows; use /incident help.",
  noIncident: "That button names no incident; use /incident list.",
  unknownForm: "This form is not one the bot knows; run the command again.",
  brokenForm: "This form has expired or was changed; run the command again.",
  noValues: "This form came without its values; run the command again.",
  shortcut: "The bot has no shortcuts; use /incident help.",
  otherCommand: "The bot answers /incident only; try /incident help.",
  other: "The bot cannot use that; try /incident help.",
} as const;
