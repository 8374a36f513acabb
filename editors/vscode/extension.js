// The factlang extension: the TextMate grammar for highlighting, and a
// language client that starts `python -m factlang lsp` over stdio.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

// The Python that has factlang[lsp]: our setting, else the Python
// extension's interpreter setting, else python3 on the PATH.
function pythonPath() {
  const own = vscode.workspace.getConfiguration("factlang").get("pythonPath");
  if (own) return own;
  const python = vscode.workspace.getConfiguration("python").get("defaultInterpreterPath");
  if (python && python !== "python") return python;
  return process.platform === "win32" ? "python" : "python3";
}

function makeClient() {
  const delay = vscode.workspace.getConfiguration("factlang").get("verifyDelay", 0.3);
  const serverOptions = {
    command: pythonPath(),
    args: ["-m", "factlang", "lsp"],
    options: { env: { ...process.env, FACTLANG_LSP_DELAY: String(delay) } },
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "factlang" }],
    // Edits to sources and to fact files that are not open change verdicts too.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.fact,*.txt,*.md,pyproject.toml,factlang.toml}") },
  };
  return new LanguageClient("factlang", "factlang", serverOptions, clientOptions);
}

async function activate(context) {
  client = makeClient();
  context.subscriptions.push(
    vscode.commands.registerCommand("factlang.restartServer", async () => {
      await client.stop();
      client = makeClient();
      await client.start();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("factlang")) {
        vscode.commands.executeCommand("factlang.restartServer");
      }
    }),
  );
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `factlang: could not start "${pythonPath()} -m factlang lsp" (${err.message}). ` +
        "Install it with: pip install 'factlang[lsp]', or set factlang.pythonPath.",
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
