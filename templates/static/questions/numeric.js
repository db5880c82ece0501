/*
 * Numeric questions on the page: one text box, answered with the Check button (or Enter)
 * once it holds a number. The learner may write the decimal separator as "." or ","
 * ("3,5" is 3.5) and a leading "+" or "-"; anything else is refused with a hint. The
 * answer is the number as plain decimal text ("3.5"); it is right from the quiz data's
 * low to high bound, both included.
 * SCORM: a "numeric" interaction: the number in 1.2 (the correct pattern: the answer);
 * in 2004 the number and the range "low[:]high", each left out when it does not fit
 * Moodle's 2004 decimal (at most 5 digits before the point, 18 after).
 */
(function () {
  "use strict";

  var quiz = window.SrmQuiz;
  var NUMBER = /^([+\-\u2212]?)(\d*)(?:[.,](\d*))?$/;
  var DECIMAL_2004 = /^-?\d{1,5}(\.\d{1,18})?$/;

  /** The typed text as plain decimal text ("-3.5", "12", "0.25"), or null when it is not a number:
   * read as the course's language writes numbers (assets/locale.js: "1.500,5" in German). */
  function parse(text) {
    if (window.SrmLocale) {
      return window.SrmLocale.normalizeNumber(text);
    }
    var match = NUMBER.exec(String(text).replace(/\s+/g, ""));
    if (!match || (!match[2] && !match[3])) {
      return null;
    }
    var whole = match[2].replace(/^0+(?=\d)/, "") || "0";
    var fraction = (match[3] || "").replace(/0+$/, "");
    var value = whole + (fraction ? "." + fraction : "");
    return match[1] && match[1] !== "+" && value !== "0" ? "-" + value : value;
  }

  function fits2004(text) {
    return DECIMAL_2004.test(text) ? text : null;
  }

  quiz.register("numeric", {
    checked: true,

    setUp: function (question) {
      question.input = question.element.querySelector("input[data-number]");
    },

    wire: function (question, submit) {
      function check() {
        if (question.answer !== null) {
          return;
        }
        var value = question.input ? parse(question.input.value) : null;
        if (value === null) {
          quiz.show(question.feedback && question.feedback.querySelector("[data-need-answer]"), true);
          return;
        }
        submit(value);
      }
      question.checkButton.addEventListener("click", check);
      if (question.input) {
        question.input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            check();
          }
        });
      }
    },

    score: function (question, value) {
      var number = parseFloat(value);
      return number >= parseFloat(question.data.low) && number <= parseFloat(question.data.high) ? 1 : 0;
    },

    reveal: function (question, value, showCorrect) {
      var right = this.score(question, value) === 1;
      if (question.input) {
        question.input.value = value;
        question.input.readOnly = true;
        quiz.markPart(question.input.parentNode, right ? "right" : "wrong");
      }
      quiz.show(question.element.querySelector("[data-correct-part]"), !right && showCorrect);
    },

    reset: function (question) {
      if (question.input) {
        question.input.value = "";
        question.input.readOnly = false;
        quiz.markPart(question.input.parentNode, null);
      }
      quiz.show(question.element.querySelector("[data-correct-part]"), false);
    },

    encode: function (question, value) {
      return value;
    },

    decode: function (question, text) {
      var value = parse(text);
      return value === text ? value : null;
    },

    interaction: function (question, value, version) {
      var data = question.data;
      if (version === "scorm12") {
        return { type: "numeric", learner: value, correct: data.answer };
      }
      var low = fits2004(data.low);
      var high = fits2004(data.high);
      return { type: "numeric", learner: fits2004(value), correct: low && high ? low + "[:]" + high : null };
    },

    firstControl: function (question) {
      return question.input;
    },
  });
})();
