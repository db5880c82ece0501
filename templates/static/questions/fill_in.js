/*
 * Fill-in-the-blank questions on the page: a text box per blank inside the sentence,
 * answered with the Check button once every box holds text. The answer is the texts
 * typed. A blank is right when its text equals an accepted answer after both are
 * trimmed and put in Unicode form NFC (and lower-cased unless case matters).
 * SCORM: a "fill-in" interaction; the texts joined by "," in 1.2 and "[,]" in 2004,
 * where the correct pattern also says whether case matters.
 */
(function () {
  "use strict";

  var quiz = window.SrmQuiz;
  /** SCORM 2004 allows 250 characters per text (1.2: 255 for all of them). */
  var TEXT_2004 = 250;
  var TEXT_12 = 255;

  function normalized(text, caseSensitive) {
    var value = String(text).trim();
    value = value.normalize ? value.normalize("NFC") : value;
    return caseSensitive ? value : value.toLowerCase();
  }

  function isRight(question, blank, text) {
    var given = normalized(text, question.data.caseSensitive);
    return question.data.blanks[blank].some(function (accepted) {
      return normalized(accepted, question.data.caseSensitive) === given;
    });
  }

  /** A text as one SCORM 2004 fill-in value: no "[,]" inside (it separates values), no "{" first. */
  function text2004(text) {
    var value = String(text).trim().split("[,]").join("[ ,]").slice(0, TEXT_2004);
    return value.charAt(0) === "{" ? " " + value.slice(0, TEXT_2004 - 1) : value;
  }

  function responses(texts, version) {
    if (version === "scorm12") {
      return texts.map(function (text) {
        return String(text).trim();
      }).join(",").slice(0, TEXT_12);
    }
    return texts.map(text2004).join("[,]");
  }

  quiz.register("fill_in", {
    checked: true,

    setUp: function (question) {
      var inputs = question.element.querySelectorAll("input[data-blank]");
      question.inputs = [];
      for (var i = 0; i < inputs.length; i += 1) {
        question.inputs[Number(inputs[i].getAttribute("data-blank"))] = inputs[i];
      }
    },

    wire: function (question, submit) {
      function check() {
        if (question.answer !== null) {
          return;
        }
        var texts = question.inputs.map(function (input) {
          return input.value;
        });
        if (texts.some(function (text) {
          return !text.trim();
        })) {
          quiz.show(question.feedback && question.feedback.querySelector("[data-need-answer]"), true);
          return;
        }
        submit(texts.map(function (text) {
          return text.trim();
        }));
      }
      question.checkButton.addEventListener("click", check);
      question.inputs.forEach(function (input) {
        // Enter in a box checks the answer, as it would submit a form
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            check();
          }
        });
      });
    },

    score: function (question, texts) {
      var right = texts.filter(function (text, blank) {
        return isRight(question, blank, text);
      }).length;
      if (right === texts.length) {
        return 1;
      }
      return question.data.partialCredit ? right / texts.length : 0;
    },

    reveal: function (question, texts, showCorrect) {
      texts.forEach(function (text, blank) {
        var input = question.inputs[blank];
        var right = isRight(question, blank, text);
        if (input) {
          input.value = text;
          input.readOnly = true;
          var part = input.closest(".blank");
          quiz.markPart(part, right ? "right" : "wrong");
          quiz.show(part && part.querySelector("[data-correct-part]"), !right && showCorrect);
        }
      });
    },

    reset: function (question) {
      question.inputs.forEach(function (input) {
        var part = input.closest(".blank");
        input.value = "";
        input.readOnly = false;
        quiz.markPart(part, null);
        quiz.show(part && part.querySelector("[data-correct-part]"), false);
      });
    },

    encode: function (question, texts) {
      // only what the saved state uses as separators is escaped ("%XX"), so each other
      // character, accented or not, costs one of SCORM 1.2's 4,096; "+" joins the texts
      return texts.map(function (text) {
        return text.replace(/[%|,+]/g, function (character) {
          return "%" + character.charCodeAt(0).toString(16).toUpperCase();
        });
      }).join("+");
    },

    decode: function (question, text) {
      var parts = String(text).split("+");
      if (parts.length !== question.data.blanks.length) {
        return null;
      }
      var texts = parts.map(function (part) {
        return part.replace(/%(25|7C|2C|2B)/g, function (escaped, code) {
          return String.fromCharCode(parseInt(code, 16));
        });
      });
      return texts.every(function (part) {
        return part.trim() !== "";
      }) ? texts : null;
    },

    interaction: function (question, texts, version) {
      var first = question.data.blanks.map(function (accepted) {
        return accepted[0];
      });
      var correct = responses(first, version);
      if (version !== "scorm12") {
        correct = "{case_matters=" + Boolean(question.data.caseSensitive) + "}" +
          (first.length > 1 ? "{order_matters=true}" : "") + correct;
      }
      return { type: "fill-in", learner: responses(texts, version), correct: correct };
    },

    firstControl: function (question) {
      return question.inputs[0] || null;
    },
  });
})();
