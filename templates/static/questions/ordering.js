/*
 * Ordering questions on the page: each item has Move up / Move down buttons (the item
 * moves, the pressed button keeps focus, or its partner when it reaches an end), a live
 * line says where it went, and the Check button answers. The answer is the items'
 * positions in the right order, as the learner arranged them. The page's first order
 * is never the right one (quiz data "start"; shuffled per attempt when the quiz
 * shuffles choices). SCORM: a "sequencing" interaction, "b,a,c" in 1.2 and
 * "i2[,]i1[,]i3" in 2004.
 */
(function () {
  "use strict";

  var quiz = window.SrmQuiz;

  function currentOrder(question) {
    return Array.prototype.map.call(question.list.querySelectorAll("[data-item]"), function (row) {
      return Number(row.getAttribute("data-item"));
    });
  }

  function isIdentity(order) {
    return order.every(function (position, index) {
      return position === index;
    });
  }

  function sequence(question, order, version) {
    var ids = version === "scorm12" ? question.data.items12 : question.data.items2004;
    return order.map(function (position) {
      return ids[position];
    }).join(version === "scorm12" ? "," : "[,]");
  }

  /** Only the buttons that can move their item are enabled. */
  function updateButtons(question) {
    var rows = question.list.querySelectorAll("[data-item]");
    Array.prototype.forEach.call(rows, function (row, index) {
      row.querySelector('[data-move="up"]').disabled = index === 0;
      row.querySelector('[data-move="down"]').disabled = index === rows.length - 1;
    });
  }

  function move(question, button) {
    var row = button.closest("[data-item]");
    var up = button.getAttribute("data-move") === "up";
    var neighbour = up ? row.previousElementSibling : row.nextElementSibling;
    if (!neighbour || question.answer !== null) {
      return;
    }
    question.list.insertBefore(row, up ? neighbour : neighbour.nextElementSibling);
    updateButtons(question);
    // moving the row took focus from its button: give it back, or to the other button at an end
    var other = row.querySelector(up ? '[data-move="down"]' : '[data-move="up"]');
    (button.disabled ? other : button).focus();
    var rows = Array.prototype.slice.call(question.list.querySelectorAll("[data-item]"));
    var text = row.querySelector(".order-text");
    quiz.fill(question.status, {
      item: text ? text.textContent : "",
      position: rows.indexOf(row) + 1,
      total: rows.length,
    });
  }

  quiz.register("ordering", {
    checked: true,

    setUp: function (question) {
      question.list = question.element.querySelector("[data-order-list]");
      question.status = question.element.querySelector("[data-order-status]");
      question.rows = [];
      Array.prototype.forEach.call(question.list.querySelectorAll("[data-item]"), function (row) {
        question.rows[Number(row.getAttribute("data-item"))] = row;
      });
      updateButtons(question);
    },

    wire: function (question, submit) {
      question.list.addEventListener("click", function (event) {
        var button = event.target && event.target.closest ? event.target.closest("[data-move]") : null;
        if (button && !button.disabled) {
          move(question, button);
        }
      });
      question.checkButton.addEventListener("click", function () {
        if (question.answer === null) {
          submit(currentOrder(question));
        }
      });
    },

    score: function (question, order) {
      var inPlace = order.filter(function (position, index) {
        return position === index;
      }).length;
      if (inPlace === order.length) {
        return 1;
      }
      return question.data.partialCredit ? inPlace / order.length : 0;
    },

    reveal: function (question, order, showCorrect) {
      this.arrange(question, order);
      order.forEach(function (position, index) {
        var row = question.rows[position];
        var right = position === index;
        quiz.markPart(row, right ? "right" : "wrong");
        quiz.show(row.querySelector("[data-correct-part]"), !right && showCorrect);
        row.querySelectorAll("[data-move]").forEach(function (button) {
          button.disabled = true;
          button.hidden = true;
        });
      });
      quiz.fill(question.status, {});
      if (question.status) {
        question.status.textContent = "";
      }
    },

    reset: function (question) {
      question.rows.forEach(function (row) {
        quiz.markPart(row, null);
        quiz.show(row.querySelector("[data-correct-part]"), false);
        row.querySelectorAll("[data-move]").forEach(function (button) {
          button.hidden = false;
        });
      });
      updateButtons(question);
    },

    encode: function (question, order) {
      return quiz.encodeDigits(order);
    },

    decode: function (question, text) {
      var order = quiz.decodeDigits(text);
      return quiz.isPermutation(order, question.data.items) ? order : null;
    },

    interaction: function (question, order, version) {
      return {
        type: "sequencing",
        learner: sequence(question, order, version),
        correct: sequence(question, quiz.range(question.data.items), version),
      };
    },

    arrangementSize: function (question) {
      return question.data.items;
    },

    arrangement: function (question, shuffle) {
      if (!shuffle) {
        return null;
      }
      var order = quiz.shuffled(quiz.range(question.data.items));
      return isIdentity(order) ? order.slice(1).concat(order.slice(0, 1)) : order;
    },

    /** Show the items in ``order`` (positions in the right order); null: the page's first order. */
    arrange: function (question, order) {
      (order || question.data.start).forEach(function (position) {
        question.list.appendChild(question.rows[position]);
      });
      updateButtons(question);
    },

    firstControl: function (question) {
      return question.list.querySelector("[data-move]:not([disabled])");
    },
  });
})();
