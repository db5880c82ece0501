/*
 * A minimal LMS player around scorm-again: it creates the runtime API the SCO looks for in
 * window.parent, records every call the SCO makes, keeps every commit the API sends, and loads
 * the SCO in the #sco frame. Python drives it through window.lmsHarness (tests/support/lms.py).
 */
(function () {
  "use strict";

  const VERSIONS = {
    "1.2": {
      globalName: "API",
      create: (settings, http) => new window.Scorm12API(settings, http),
      methods: [
        "LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
        "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic",
      ],
      finishMethod: "LMSFinish",
    },
    "2004": {
      globalName: "API_1484_11",
      create: (settings, http) => new window.Scorm2004API(settings, http),
      methods: [
        "Initialize", "Terminate", "GetValue", "SetValue", "Commit",
        "GetLastError", "GetErrorString", "GetDiagnostic",
      ],
      finishMethod: "Terminate",
    },
  };

  const state = {
    version: null,
    api: null,
    calls: [],
    commits: [],
    failingCommits: 0,
    offTheRecord: false,
    logMessages: [],
  };

  // What scorm-again's own synchronous service answers when the request fails, per version.
  const COMMIT_FAILURE = { "1.2": 101, "2004": 391 };

  /**
   * Commits the way Moodle's player does: one synchronous XMLHttpRequest per commit (LMSFinish and
   * Terminate included), to an inbox on the test server that stands in for the LMS's server. So
   * Chromium refuses a commit made while the page is being dismissed, as it does in Moodle. Every
   * commit is kept here too, with whether it reached the server; ``failNextCommits`` makes the next
   * requests fail as a broken connection would.
   */
  const moodleLikeHttpService = {
    processHttpRequest(url, params, immediate, apiLog, processListeners, metadata) {
      if (state.offTheRecord) {
        return { result: "true", errorCode: 0 };
      }
      const commit = {
        payload: JSON.parse(JSON.stringify(params)),
        terminate: Boolean(immediate),
        trigger: metadata ? metadata.trigger : null,
        delivered: false,
        refusal: "",
      };
      state.commits.push(commit);
      if (state.failingCommits > 0) {
        state.failingCommits -= 1;
        commit.refusal = "failed on purpose (failNextCommits)";
      } else {
        commit.refusal = post(url, {
          payload: commit.payload,
          terminate: commit.terminate,
          trigger: commit.trigger,
          // what the LMS adds up, as Moodle does with each stored session time
          totalTime: totalTime(),
        });
        commit.delivered = commit.refusal === "";
      }
      const code = commit.delivered ? 0 : COMMIT_FAILURE[state.version];
      return { result: commit.delivered ? "true" : "false", errorCode: code };
    },
    updateSettings() {},
  };

  /** POST synchronously; "" when the server took it, else why not. */
  function post(url, body) {
    const request = new XMLHttpRequest();
    try {
      request.open("POST", url, false);
      request.setRequestHeader("Content-Type", "application/json");
      request.send(JSON.stringify(body));
    } catch (error) {
      return String(error);
    }
    return request.status === 200 ? "" : `HTTP ${request.status}`;
  }

  function totalTime() {
    return (state.version === "1.2" ? state.api.cmi.core : state.api.cmi).getCurrentTotalTime();
  }

  function jsonSafe(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  /** Replace each runtime method on the instance with one that records the call and its outcome. */
  function recordCalls(api, methods, rules) {
    for (const name of methods) {
      const original = api[name].bind(api);
      api[name] = function (...args) {
        const commitsBefore = state.commits.length;
        const result = original(...args);
        // Read the code straight from the instance: calling GetLastError would log a call too.
        const errorCode = String(api.lastErrorCode);
        state.calls.push({
          method: name,
          args: args.map(jsonSafe),
          result: jsonSafe(result),
          errorCode,
          errorText: errorCode === "0" ? "" : String(api.getLmsErrorMessageDetails(errorCode)),
          violations: rules.check(name, args, result),
          // why the commits this call made did not reach the LMS's server
          refusals: state.commits.slice(commitsBefore).filter((c) => !c.delivered).map((c) => c.refusal),
        });
        return result;
      };
    }
  }

  /**
   * Start a session: build the API (strict errors, no autocommit, so only the SCO's own commits
   * reach the "LMS", at config.commitUrl), preload the CMI data the LMS would hand over, then load the SCO.
   * Resolves once the SCO frame has fired load.
   */
  function launch(config) {
    if (state.api) {
      throw new Error("lmsHarness.launch() runs once per page load");
    }
    const version = VERSIONS[config.version];
    if (!version) {
      throw new Error(`unknown SCORM version ${config.version}`);
    }
    const settings = {
      autocommit: false,
      strict_errors: true,
      logLevel: 4, // ERROR
      lmsCommitUrl: config.commitUrl,
      onLogMessage: (level, message) => state.logMessages.push({ level, message: String(message) }),
      ...(config.settings || {}),
    };
    const api = version.create(settings, moodleLikeHttpService);
    if (config.initialCmi) {
      api.loadFromJSON(config.initialCmi);
    }
    state.version = config.version;
    state.api = api;
    if (config.apiAlreadyFinished) {
      // Moodle 4.5 hands the next SCO the API the previous one finished (lms-targets §6), so the
      // SCO's Initialize is refused. That earlier session is not part of this one's record.
      state.offTheRecord = true;
      api[version.methods[0]]("");
      api[version.finishMethod]("");
      state.offTheRecord = false;
    }
    recordCalls(api, version.methods, new window.LmsStrictRules(config.version));
    window[version.globalName] = api;

    const frame = document.getElementById("sco");
    return new Promise((resolve) => {
      frame.addEventListener("load", () => resolve(true), { once: true });
      frame.src = config.scoUrl;
    });
  }

  function finished() {
    const finishMethod = state.version ? VERSIONS[state.version].finishMethod : null;
    return state.calls.some((call) => call.method === finishMethod && call.result === "true");
  }

  window.lmsHarness = {
    launch,
    finished,
    cmi: () => state.api.renderCMIToJSONObject().cmi,
    /** The total time a real LMS would store: the launch's total plus this session's time. */
    totalTime,
    calls: () => state.calls,
    commits: () => state.commits,
    /** The next ``count`` commits fail without reaching the server, as on a dropped connection. */
    failNextCommits(count) {
      state.failingCommits = count;
    },
    logMessages: () => state.logMessages,
    /** Unload the SCO as a learner closing it would (its pagehide handlers run). */
    unloadSco() {
      return new Promise((resolve) => {
        const frame = document.getElementById("sco");
        frame.addEventListener("load", () => resolve(true), { once: true });
        frame.src = "about:blank";
      });
    },
  };
})();
