/*
 * Numbers as the course's language writes and reads them: the one place where the
 * page scripts turn a number into text ("44,5 %" in German) or the learner's typed
 * text into a number ("3,5", "1.500", "٣٫٥"). The symbols come from the page
 * (<script type="application/json" id="srm-locale">), filled at build time from
 * Babel's CLDR data for the course's locale, so page and server agree.
 */
(function () {
  "use strict";

  var element = document.getElementById("srm-locale");
  var symbols = { decimal: ".", group: ",", minus: "-", percentPrefix: "", percentSuffix: "%" };
  if (element) {
    try {
      var given = JSON.parse(element.textContent);
      Object.keys(symbols).forEach(function (name) {
        if (typeof given[name] === "string") {
          symbols[name] = given[name];
        }
      });
    } catch (error) {
      // a damaged block: English symbols still give readable numbers
    }
  }

  /** `value` with at most two decimals, grouped by thousands, in the locale's symbols. */
  function formatNumber(value) {
    var rounded = Math.round(Math.abs(value) * 100) / 100;
    var parts = String(rounded).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000");
    var text = whole.split("\u0000").join(symbols.group);
    if (parts.length > 1) {
      text += symbols.decimal + parts[1];
    }
    return (value < 0 && rounded !== 0 ? symbols.minus : "") + text;
  }

  /** `value` percent as the locale writes it: "44 %", "44%", "%44". */
  function formatPercent(value) {
    return symbols.percentPrefix + formatNumber(value) + symbols.percentSuffix;
  }

  var NATIVE_DIGITS = [
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", // Arabic-Indic
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", // Persian and Urdu
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", // full width (Chinese input)
  ];

  function asciiDigits(text) {
    var out = "";
    for (var i = 0; i < text.length; i += 1) {
      var character = text.charAt(i);
      for (var set = 0; set < NATIVE_DIGITS.length; set += 1) {
        var digit = NATIVE_DIGITS[set].indexOf(character);
        if (digit >= 0) {
          character = String(digit);
          break;
        }
      }
      out += character;
    }
    return out;
  }

  /** Digits in groups of three after the first: "1.500", "12,345,678". */
  function isGrouped(text, group) {
    var parts = text.split(group);
    return parts.length > 1 && /^\d{1,3}$/.test(parts[0]) && parts.slice(1).every(function (part) {
      return /^\d{3}$/.test(part);
    });
  }

  /**
   * The number a learner typed as plain decimal text ("-3.5", "1500", "0.25"), or null when
   * it is not a number; exact, however many digits. Takes the locale's decimal separator,
   * and "." or "," once as a decimal point where it cannot be a thousands group ("3.5" in a
   * German course); thousands grouped by the locale's symbol or by spaces ("1.500",
   * "1 500"); a leading minus or plus; Arabic-Indic, Persian and full-width digits.
   */
  function normalizeNumber(typed) {
    var text = asciiDigits(String(typed).trim())
      .replace(/\u066b/g, ".") // Arabic decimal separator
      .replace(/\u066c/g, "") // Arabic thousands separator
      .replace(/[\u2212\u2012\u2013\ufe63\uff0d]/g, "-")
      .replace(/\uff0e/g, ".")
      .replace(/\uff0c/g, ",");
    var negative = false;
    if (/^[-+]/.test(text)) {
      negative = text.charAt(0) === "-";
      text = text.slice(1);
    }
    text = text.replace(/[\s\u00a0\u202f\u2009]/g, "");
    var decimal = symbols.decimal === "\u066b" ? "." : symbols.decimal;
    var group = /^[\s\u00a0\u202f\u2009\u066c]*$/.test(symbols.group) ? "" : symbols.group;
    var whole = text;
    var fraction = "";
    var at = text.lastIndexOf(decimal);
    if (at >= 0) {
      whole = text.slice(0, at);
      fraction = text.slice(at + 1);
    }
    if (group && whole.indexOf(group) >= 0) {
      if (isGrouped(whole, group)) {
        whole = whole.split(group).join("");
      } else if (fraction === "" && at < 0 && whole.split(group).length === 2) {
        fraction = whole.split(group)[1]; // "3.5" in a course whose group symbol is "."
        whole = whole.split(group)[0];
        at = 0;
      } else {
        return null;
      }
    }
    if (at < 0 && fraction === "") {
      var other = decimal === "." ? "," : ".";
      if (whole.split(other).length === 2) {
        fraction = whole.split(other)[1]; // "3,5" in an English course
        whole = whole.split(other)[0];
        at = 0;
      }
    }
    if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || (whole + fraction) === "") {
      return null;
    }
    whole = whole.replace(/^0+(?=\d)/, "") || "0";
    fraction = fraction.replace(/0+$/, "");
    var text = whole + (fraction ? "." + fraction : "");
    return negative && text !== "0" ? "-" + text : text;
  }

  /** The number a learner typed (see normalizeNumber), or NaN. */
  function parseNumber(typed) {
    var text = normalizeNumber(typed);
    return text === null ? NaN : Number(text);
  }

  // placeholders whose numbers are percentages ("{percent}" → "44 %"); other numbers are plain
  var PERCENT_PLACEHOLDERS = { percent: true, pass: true };

  /**
   * A data-template text with its {name} placeholders filled from `values`, numbers written
   * in the locale's way: the one place where page scripts turn a template into text.
   */
  function fillTemplate(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) {
        return match;
      }
      var value = values[name];
      if (typeof value !== "number") {
        return String(value);
      }
      return PERCENT_PLACEHOLDERS[name] ? formatPercent(value) : formatNumber(value);
    });
  }

  window.SrmLocale = {
    fillTemplate: fillTemplate,
    symbols: symbols,
    formatNumber: formatNumber,
    formatPercent: formatPercent,
    normalizeNumber: normalizeNumber,
    parseNumber: parseNumber,
  };
})();
