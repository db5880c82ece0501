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
    logMessages: [],
  };

  /** Stands in for the LMS server: keeps each commit and answers success, with no request made. */
  const recordingHttpService = {
    processHttpRequest(url, params, immediate, apiLog, processListeners, metadata) {
      state.commits.push({
        payload: JSON.parse(JSON.stringify(params)),
        terminate: Boolean(immediate),
        trigger: metadata ? metadata.trigger : null,
      });
      return { result: "true", errorCode: 0 };
    },
    updateSettings() {},
  };

  function jsonSafe(value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  /** Replace each runtime method on the instance with one that records the call and its outcome. */
  function recordCalls(api, methods, rules) {
    for (const name of methods) {
      const original = api[name].bind(api);
      api[name] = function (...args) {
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
        });
        return result;
      };
    }
  }

  /**
   * Start a session: build the API (strict errors, no autocommit, so only the SCO's own commits
   * reach the "LMS"), preload the CMI data the LMS would hand over, then load the SCO.
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
      lmsCommitUrl: "/lms-harness/commit", // never fetched: the recording service answers
      onLogMessage: (level, message) => state.logMessages.push({ level, message: String(message) }),
      ...(config.settings || {}),
    };
    const api = version.create(settings, recordingHttpService);
    if (config.initialCmi) {
      api.loadFromJSON(config.initialCmi);
    }
    recordCalls(api, version.methods, new window.LmsStrictRules(config.version));
    state.version = config.version;
    state.api = api;
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
    totalTime: () => (state.version === "1.2" ? state.api.cmi.core : state.api.cmi).getCurrentTotalTime(),
    calls: () => state.calls,
    commits: () => state.commits,
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
