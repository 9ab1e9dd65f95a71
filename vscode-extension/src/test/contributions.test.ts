// What package.json declares decides where VS Code lets users set breakpoints and which
// languages offer this debugger's launch configurations: only languages listed there.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

interface Manifest {
  contributes: {
    breakpoints: { language: string }[];
    debuggers: { type: string; languages: string[]; configurationSnippets: { label: string; body: Record<string, unknown> }[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as Manifest;
const rewind = manifest.contributes.debuggers.find((d) => d.type === "rewind");

describe("package.json contributions", () => {
  it("let users set breakpoints in C, C++, C# and F# sources", () => {
    const languages = manifest.contributes.breakpoints.map((b) => b.language);
    for (const language of ["c", "cpp", "csharp", "fsharp"]) assert.ok(languages.includes(language), language);
  });
  it("declare the debugger for C, C++, C# and F#", () => {
    assert.deepEqual(rewind?.languages, ["c", "cpp", "csharp", "fsharp"]);
  });
  it("offer a snippet that records a .NET app with the dotnet host", () => {
    const snippet = rewind?.configurationSnippets.find((s) => /\.NET/.test(s.label) && s.body.program === "dotnet");
    assert.ok(snippet, "no .NET record snippet");
    assert.match(String((snippet.body.args as string[])[0]), /\.dll"$/);
  });
});
