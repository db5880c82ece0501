/*
 * Matching questions on the page: a <select> per prompt, answered with the Check button
 * once every prompt has a match. The answer is, per prompt, the index of its chosen
 * match. SCORM: a "matching" interaction, "a.b,b.a" in 1.2 and "p1[.]m2[,]p2[.]m1" in
 * 2004 (ids from the quiz data).
 */
(function () {
  "use strict";

  var quiz = window.SrmQuiz;

  function chosen(question) {
    return question.selects.map(function (select) {
      return select.value === "" ? null : Number(select.value);
    });
  }

  function pairs(question, answer, version) {
    var data = question.data;
    if (version === "scorm12") {
      return answer.map(function (match, prompt) {
        return data.prompts12[prompt] + "." + data.matches12[match];
      }).join(",");
    }
    return answer.map(function (match, prompt) {
      return data.prompts2004[prompt] + "[.]" + data.matches2004[match];
    }).join("[,]");
  }

  function rightCount(question, answer) {
    return answer.filter(function (match, prompt) {
      return match === question.data.answers[prompt];
    }).length;
  }

  quiz.register("matching", {
    checked: true,

    setUp: function (question) {
      var selects = question.element.querySelectorAll("select[data-prompt-select]");
      question.selects = [];
      question.rows = [];
      question.options = []; // per list, its match options in the page's order
      for (var i = 0; i < selects.length; i += 1) {
        var prompt = Number(selects[i].getAttribute("data-prompt-select"));
        question.selects[prompt] = selects[i];
        question.rows[prompt] = selects[i].closest("[data-prompt]");
        question.options[prompt] = Array.prototype.slice.call(selects[i].options, 1);
      }
    },

    wire: function (question, submit) {
      question.checkButton.addEventListener("click", function () {
        if (question.answer !== null) {
          return;
        }
        var answer = chosen(question);
        if (answer.indexOf(null) >= 0) {
          quiz.show(question.feedback && question.feedback.querySelector("[data-need-answer]"), true);
          return;
        }
        submit(answer);
      });
    },

    score: function (question, answer) {
      var right = rightCount(question, answer);
      if (right === answer.length) {
        return 1;
      }
      return question.data.partialCredit ? right / answer.length : 0;
    },

    reveal: function (question, answer, showCorrect) {
      answer.forEach(function (match, prompt) {
        var select = question.selects[prompt];
        var row = question.rows[prompt];
        var right = match === question.data.answers[prompt];
        if (select) {
          select.value = String(match);
          select.disabled = true;
        }
        quiz.markPart(row, right ? "right" : "wrong");
        quiz.show(row && row.querySelector("[data-correct-part]"), !right && showCorrect);
      });
    },

    reset: function (question) {
      question.selects.forEach(function (select, prompt) {
        select.value = "";
        select.disabled = false;
        quiz.markPart(question.rows[prompt], null);
        quiz.show(question.rows[prompt] && question.rows[prompt].querySelector("[data-correct-part]"), false);
      });
    },

    encode: function (question, answer) {
      return quiz.encodeDigits(answer);
    },

    decode: function (question, text) {
      var answer = quiz.decodeDigits(text);
      var valid = answer.length === question.data.answers.length && answer.every(function (match) {
        return !isNaN(match) && match >= 0 && match < question.data.matches;
      });
      return valid ? answer : null;
    },

    interaction: function (question, answer, version) {
      return {
        type: "matching",
        learner: pairs(question, answer, version),
        correct: pairs(question, question.data.answers, version),
      };
    },

    arrangementSize: function (question) {
      return question.data.matches;
    },

    arrangement: function (question, shuffle) {
      return shuffle ? quiz.shuffled(quiz.range(question.data.matches)) : null;
    },

    /** Order the options of every list (the "Choose" option stays first); null: the page's order. */
    arrange: function (question, order) {
      question.selects.forEach(function (select, prompt) {
        var options = question.options[prompt];
        if (order) {
          var byIndex = {};
          options.forEach(function (option) {
            byIndex[option.value] = option;
          });
          options = order.map(function (index) {
            return byIndex[String(index)];
          });
        }
        options.forEach(function (option) {
          if (option) {
            select.appendChild(option);
          }
        });
      });
    },

    firstControl: function (question) {
      return question.selects[0] || null;
    },
  });
})();
