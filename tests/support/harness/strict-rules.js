/*
 * Checks that scorm-again lets through but Moodle's SCORM player (or the SCORM spec) rejects.
 *
 * scorm-again is deliberately lenient for old content (see the comments in its regex table), so a
 * SCO that passes it can still lose data in Moodle. Each rule here names what it protects; the
 * facts come from docs/lms-targets.md (Moodle's datamodels/scorm_12.js and scorm_13.js).
 * The harness only records the findings: it never changes what the API returns to the SCO.
 */
(function () {
  "use strict";

  const INTERACTION_FIELD = /^cmi\.interactions\.(\d+)\.(.+)$/;

  // Printable ASCII, no space: Moodle's 1.2 CMIIdentifier.
  const IDENTIFIER_12 = /^[\x21-\x7E]{1,255}$/;
  // 1.2 choice responses: single characters 0-9 / a-z, several separated by commas.
  const CHOICE_RESPONSE_12 = /^[0-9a-z](,[0-9a-z])*$/;
  // The SCORM 1.2 RTE's formats of the other interaction types (3.4.4, "student_response"):
  // matching pairs of single characters "a.b", sequencing single characters, numeric a decimal,
  // fill-in a string of at most 255 characters.
  const RESPONSES_12 = {
    matching: [/^[0-9a-z]\.[0-9a-z](,[0-9a-z]\.[0-9a-z])*$/, "pairs of single characters 0-9/a-z, such as a.b,b.c"],
    sequencing: [/^[0-9a-z](,[0-9a-z])*$/, "single characters 0-9/a-z separated by commas"],
    numeric: [/^-?\d+(\.\d+)?$/, "a decimal number"],
    "fill-in": [/^.{0,255}$/, "a string of at most 255 characters"],
  };
  // Moodle's 2004 formats (datamodels/scorm_13.js): short identifiers of matching and
  // sequencing, its decimal (at most 5 digits before the point), its fill-in strings.
  const SHORT_ID_2004 = /^[\w.]{1,250}$/;
  const DECIMAL_2004 = /^-?([0-9]{1,5})(\.[0-9]{1,18})?$/;
  const LANG_STRING_2004 = /^(\{lang=([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9-]{2,8})?\})?([^{].{0,250})?$/;
  const PREFIX_2004 = /^\{(lang|case_matters|order_matters)=([^}]*)\}/;
  // Moodle's 2004 choice ids: letters, digits, underscore and dot (no hyphen, no space).
  const CHOICE_ID_2004 = /^[A-Za-z0-9_.]+$/;
  const CHOICE_IDS_MAX_2004 = 36;
  // 1.2 CMITimespan: 2 to 4 hour digits, optional 1-2 decimals on seconds.
  const TIMESPAN_12 = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  // Moodle's 1.2 CMIDecimal for scores: at most three integer digits; the range is checked apart.
  const SCORE_12 = /^\d{1,3}(\.\d+)?$/;
  // 2004 time(second,10,0) as Moodle reads it: year 1970-2038, every later part optional in order,
  // and a time zone only after one or two fractional-second digits (so no toISOString() output).
  const TIMESTAMP_2004 = new RegExp(
    "^(19[7-9]\\d|20[0-2]\\d|203[0-8])" +
      "(-(0[1-9]|1[0-2])" +
      "(-(0[1-9]|[12]\\d|3[01])" +
      "(T([01]\\d|2[0-3])" +
      "(:[0-5]\\d" +
      "(:[0-5]\\d" +
      "(\\.\\d{1,2}" +
      "(Z|[+-]([01]\\d|2[0-3])(:[0-5]\\d)?)?" +
      ")?)?)?)?)?)?$",
  );

  const ERROR_INSPECTION = new Set([
    "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic",
    "GetLastError", "GetErrorString", "GetDiagnostic",
  ]);

  function checkScorm12Value(element, value, interactionTypes) {
    const text = String(value);
    if (element === "cmi.core.exit" && !/^(time-out|suspend|logout|)$/.test(text)) {
      return "1.2 cmi.core.exit must be time-out, suspend, logout or empty (Moodle answers 405)";
    }
    if (element === "cmi.core.session_time" && !TIMESPAN_12.test(text)) {
      return "1.2 cmi.core.session_time must be HH[HH]:MM:SS[.s[s]]";
    }
    if (element === "cmi.suspend_data" && text.length > 4096) {
      return `1.2 cmi.suspend_data is ${text.length} characters; the limit is 4096`;
    }
    if (/^cmi\.core\.score\.(raw|min|max)$/.test(element)) {
      if (!SCORE_12.test(text) || Number(text) > 100) {
        return "1.2 scores must be decimals from 0 to 100 (Moodle drops other values)";
      }
    }
    if (/^cmi\.objectives\.\d+\.id$/.test(element) && !IDENTIFIER_12.test(text)) {
      return "1.2 objective ids must be printable ASCII without spaces, at most 255 characters";
    }
    const interaction = INTERACTION_FIELD.exec(element);
    if (!interaction) {
      return null;
    }
    const [, index, field] = interaction;
    if ((field === "id" || /^objectives\.\d+\.id$/.test(field)) && !IDENTIFIER_12.test(text)) {
      return "1.2 interaction ids must be printable ASCII without spaces, at most 255 characters";
    }
    if (field === "result" && !/^(correct|wrong|unanticipated|neutral|\d+(\.\d+)?)$/.test(text)) {
      return "1.2 interaction result must be correct, wrong, unanticipated, neutral or a number";
    }
    const isResponse = field === "student_response" || /^correct_responses\.\d+\.pattern$/.test(field);
    if (isResponse && interactionTypes.get(index) === "choice" && !CHOICE_RESPONSE_12.test(text)) {
      return "1.2 choice responses are single characters 0-9/a-z separated by commas";
    }
    const rule = isResponse ? RESPONSES_12[interactionTypes.get(index)] : undefined;
    if (rule && !rule[0].test(text)) {
      return `1.2 ${interactionTypes.get(index)} responses are ${rule[1]}`;
    }
    return null;
  }

  /** Moodle's 2004 check of a response or correct pattern of the types besides choice; null when it passes. */
  function checkResponse2004(type, text, correct) {
    if (type === "numeric") {
      const nodes = correct ? text.split("[:]") : [text];
      if (nodes.length > 2 || nodes.some((node) => node !== "" && !DECIMAL_2004.test(node))) {
        return "2004 numeric values are decimals with at most 5 digits before the point (Moodle answers 406)";
      }
      if (nodes.length === 2 && nodes[0] !== "" && nodes[1] !== "" && Number(nodes[0]) > Number(nodes[1])) {
        return "2004 numeric ranges go from low to high";
      }
      return null;
    }
    let rest = text;
    if (correct) {
      for (let prefix = PREFIX_2004.exec(rest); prefix; prefix = PREFIX_2004.exec(rest)) {
        if (prefix[1] !== "lang" && !/^(true|false)$/.test(prefix[2])) {
          return `2004 {${prefix[1]}=...} must be true or false`;
        }
        rest = rest.slice(prefix[0].length);
      }
    }
    const nodes = rest.split("[,]");
    if (type === "fill-in") {
      if (nodes.length > 10 || nodes.some((node) => node.length > 250 || (!correct && !LANG_STRING_2004.test(node)))) {
        return "2004 fill-in values are at most 10 strings of at most 250 characters, none starting with {";
      }
    } else if (type === "matching") {
      if (nodes.length > 36 || nodes.some((pair) => {
        const sides = pair.split("[.]");
        return sides.length !== 2 || !SHORT_ID_2004.test(sides[0]) || !SHORT_ID_2004.test(sides[1]);
      })) {
        return "2004 matching responses are at most 36 pairs source[.]target of ids made of letters, digits, _ and .";
      }
    } else if (type === "sequencing") {
      if (nodes.length > 36 || nodes.some((node) => !SHORT_ID_2004.test(node))) {
        return "2004 sequencing responses are at most 36 ids made of letters, digits, _ and .";
      }
    }
    return null;
  }

  function checkScorm2004Value(element, value, interactionTypes) {
    const text = String(value);
    if (element === "cmi.suspend_data" && text === "") {
      return "2004: Moodle ignores an empty cmi.suspend_data; write an explicit empty state instead";
    }
    if (/^cmi\.(interactions|comments_from_learner)\.\d+\.timestamp$/.test(element)) {
      if (!TIMESTAMP_2004.test(text)) {
        return "2004 timestamps must be YYYY-MM-DDThh:mm:ss with at most 2 decimals before a zone";
      }
    }
    const interaction = INTERACTION_FIELD.exec(element);
    if (!interaction) {
      return null;
    }
    const [, index, field] = interaction;
    const isResponse = field === "learner_response" || /^correct_responses\.\d+\.pattern$/.test(field);
    if (isResponse && interactionTypes.get(index) === "choice") {
      const ids = text.split("[,]");
      if (ids.some((id) => !CHOICE_ID_2004.test(id))) {
        return "2004 choice ids may hold only letters, digits, _ and . (Moodle rejects hyphens)";
      }
      if (new Set(ids).size !== ids.length || ids.length > CHOICE_IDS_MAX_2004) {
        return `2004 choice responses need distinct ids, at most ${CHOICE_IDS_MAX_2004}`;
      }
    }
    if (isResponse && interactionTypes.get(index) !== "choice") {
      return checkResponse2004(interactionTypes.get(index), text, field !== "learner_response");
    }
    return null;
  }

  /**
   * Rules that depend on earlier calls (interaction types, a finished session) keep their state
   * here; one instance serves one launched SCO.
   */
  class StrictRules {
    constructor(version) {
      this.version = version;
      this.interactionTypes = new Map();
      this.finished = false;
    }

    /** Problems with one call the API already answered; an empty list when there are none. */
    check(method, args, result) {
      const problems = [];
      if (this.finished && !ERROR_INSPECTION.has(method)) {
        problems.push(`${method} called after the session was finished`);
      }
      const isSet = method === "LMSSetValue" || method === "SetValue";
      if (isSet && result === "true") {
        const [element, value] = args;
        const checker = this.version === "1.2" ? checkScorm12Value : checkScorm2004Value;
        const problem = checker(String(element), value, this.interactionTypes);
        if (problem) {
          problems.push(problem);
        }
        const interaction = INTERACTION_FIELD.exec(String(element));
        if (interaction && interaction[2] === "type") {
          this.interactionTypes.set(interaction[1], String(value));
        }
      }
      if ((method === "LMSFinish" || method === "Terminate") && result === "true") {
        this.finished = true;
      }
      return problems;
    }
  }

  window.LmsStrictRules = StrictRules;
})();
