/*
 * Choice questions (single, multiple, true_false) on the page: radio buttons answer at
 * once, checkboxes with the Check button. The answer is the chosen positions (source
 * order). SCORM: a "choice" interaction, letters by position in 1.2, choice ids in 2004.
 */
(function () {
  "use strict";

  var quiz = window.SrmQuiz;
  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Up", "Down", "Left", "Right", "Home", "End"];

  function chosenPositions(question) {
    return question.choices
      .filter(function (choice) {
        return choice.input && choice.input.checked;
      })
      .map(function (choice) {
        return choice.position;
      });
  }

  function correctPositions(question) {
    return question.choices
      .filter(function (choice) {
        return choice.data.correct;
      })
      .map(function (choice) {
        return choice.position;
      });
  }

  function setMark(choice, name, visible) {
    if (choice.row) {
      quiz.show(choice.row.querySelector(".mark-" + name), visible);
    }
  }

  /** Each chosen choice's SCORM response, joined with the version's delimiter. */
  function responses(question, positions, version) {
    var key = version === "scorm12" ? "response12" : "response2004";
    return positions.map(function (position) {
      return question.choices[position].data[key];
    }).join(version === "scorm12" ? "," : "[,]");
  }

  function handler(multiple) {
    return {
      checked: multiple,

      setUp: function (question) {
        var inputs = question.element.querySelectorAll("input[data-choice]");
        question.choices = question.data.choices.map(function (choiceData, position) {
          var input = null;
          for (var i = 0; i < inputs.length; i += 1) {
            if (inputs[i].getAttribute("data-choice") === choiceData.id) {
              input = inputs[i];
            }
          }
          return { data: choiceData, position: position, input: input, row: input ? input.closest(".choice") : null };
        });
        question.container = question.element.querySelector("[data-choices]");
        question.arrowPending = false;
      },

      wire: function (question, submit) {
        var fieldset = question.element.querySelector("fieldset") || question.element;
        function submitChosen() {
          submit(chosenPositions(question));
        }
        if (multiple) {
          question.checkButton.addEventListener("click", function () {
            if (question.answer !== null) {
              return;
            }
            if (!chosenPositions(question).length) {
              quiz.show(question.feedback && question.feedback.querySelector("[data-need-choice]"), true);
              return;
            }
            submitChosen();
          });
          return;
        }
        // Radios: a click or Space answers at once. Arrow keys only move the selection,
        // so a keyboard user can reach the intended choice before answering with Space/Enter.
        fieldset.addEventListener("keydown", function (event) {
          if (NAVIGATION_KEYS.indexOf(event.key) >= 0) {
            question.arrowPending = true;
            return;
          }
          var target = event.target;
          var confirmKey = event.key === "Enter" || event.key === " " || event.key === "Spacebar";
          if (confirmKey && target && target.matches && target.matches("input[data-choice]") && target.checked) {
            event.preventDefault();
            if (question.answer === null) {
              submitChosen();
            }
          }
        });
        fieldset.addEventListener("keyup", function () {
          question.arrowPending = false;
        });
        fieldset.addEventListener("change", function (event) {
          if (!event.target || !event.target.matches("input[data-choice]")) {
            return;
          }
          if (question.arrowPending) {
            question.arrowPending = false;
            return;
          }
          if (question.answer === null) {
            submitChosen();
          }
        });
      },

      score: function (question, positions) {
        var wanted = correctPositions(question);
        var right = positions.filter(function (p) {
          return wanted.indexOf(p) >= 0;
        }).length;
        var wrong = positions.length - right;
        if (right === wanted.length && wrong === 0) {
          return 1;
        }
        // partial credit (multiple only): right picks minus wrong picks, per right choice
        return question.data.partialCredit ? Math.max(0, right - wrong) / wanted.length : 0;
      },

      reveal: function (question, positions, showCorrect) {
        question.choices.forEach(function (choice) {
          var chosen = positions.indexOf(choice.position) >= 0;
          if (choice.input) {
            choice.input.checked = chosen;
            // the chosen radio stays focusable so keyboard focus is not lost; nothing else can change
            choice.input.disabled = !(chosen && choice.input.type === "radio");
          }
          if (choice.row) {
            choice.row.classList.toggle("is-chosen", chosen);
            choice.row.classList.toggle("is-right", choice.data.correct && (chosen || showCorrect));
            choice.row.classList.toggle("is-wrong", chosen && !choice.data.correct);
          }
          setMark(choice, "chosen-correct", chosen && choice.data.correct);
          setMark(choice, "chosen-incorrect", chosen && !choice.data.correct);
          setMark(choice, "missed", !chosen && choice.data.correct && showCorrect);
        });
        if (question.feedback) {
          question.feedback.querySelectorAll("[data-feedback-for]").forEach(function (item) {
            var choice = question.choices.filter(function (c) {
              return c.data.id === item.getAttribute("data-feedback-for");
            })[0];
            quiz.show(item, Boolean(choice) && positions.indexOf(choice.position) >= 0);
          });
        }
      },

      reset: function (question) {
        question.choices.forEach(function (choice) {
          if (choice.input) {
            choice.input.checked = false;
            choice.input.disabled = false;
          }
          if (choice.row) {
            choice.row.classList.remove("is-chosen", "is-right", "is-wrong");
          }
          ["chosen-correct", "chosen-incorrect", "missed"].forEach(function (name) {
            setMark(choice, name, false);
          });
        });
      },

      encode: function (question, positions) {
        return quiz.encodeDigits(positions);
      },

      decode: function (question, text) {
        var positions = quiz.decodeDigits(text);
        var count = question.choices.length;
        var valid = positions.length <= count && (multiple || positions.length === 1) && positions.every(function (p, i) {
          return !isNaN(p) && p >= 0 && p < count && positions.indexOf(p) === i;
        });
        return valid ? positions.sort(function (a, b) {
          return a - b;
        }) : null;
      },

      interaction: function (question, positions, version) {
        return {
          type: "choice",
          learner: responses(question, positions, version),
          correct: responses(question, correctPositions(question), version),
        };
      },

      arrangementSize: function (question) {
        return question.choices.length;
      },

      arrangement: function (question, shuffle) {
        return shuffle ? quiz.shuffled(quiz.range(question.choices.length)) : null;
      },

      arrange: function (question, order) {
        (order || quiz.range(question.choices.length)).forEach(function (position) {
          var row = question.choices[position].row;
          if (question.container && row) {
            question.container.appendChild(row);
          }
        });
      },

      firstControl: function (question) {
        return question.element.querySelector("input[data-choice]");
      },
    };
  }

  var one = handler(false);
  quiz.register("single", one);
  quiz.register("true_false", one);
  quiz.register("multiple", handler(true));
})();
