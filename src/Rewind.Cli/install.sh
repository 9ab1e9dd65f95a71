#!/usr/bin/env bash
# Installs rewind for one user: the published CLI in PREFIX/lib/rewind and a launcher in
# PREFIX/bin/rewind. PREFIX is ~/.local unless given; PREFIX/bin must be on PATH.
#   bash src/Rewind.Cli/install.sh [PREFIX]             (npm run install-local)
#   bash src/Rewind.Cli/install.sh --uninstall [PREFIX]
# Needs the .NET 10 SDK to build, and at run time the liblz4-1 and gdb packages (Debian), not .NET.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--uninstall" ]; then
  prefix="${2:-$HOME/.local}"
  rm -rf "$prefix/lib/rewind" "$prefix/bin/rewind"
  echo "rewind: removed from $prefix"
  exit 0
fi
prefix="$(mkdir -p "${1:-$HOME/.local}" && cd "${1:-$HOME/.local}" && pwd)"
# Self-contained, compiled ahead of time as one composite ReadyToRun image with the runtime:
# each command starts without the JIT, generic instantiations of the framework included, and
# needs no .NET runtime on the machine. `rewind record -- /bin/true` takes 0.11 s so, against
# 0.17 s framework-dependent (docs/benchmarks.md, "Start-up of runtimes").
dotnet publish src/Rewind.Cli -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$prefix/lib/rewind" -nologo -v quiet
mkdir -p "$prefix/bin"
# A launcher, not a copy: the apphost finds rewind.dll beside itself.
printf '#!/bin/sh\nexec "%s/lib/rewind/rewind" "$@"\n' "$prefix" > "$prefix/bin/rewind"
chmod +x "$prefix/bin/rewind"
echo "rewind: installed $("$prefix/bin/rewind" --version | cut -d' ' -f2) in $prefix/bin/rewind"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "rewind: add $prefix/bin to PATH to run it as 'rewind'";; esac
ldconfig -p 2>/dev/null | grep -q 'liblz4\.so\.1' || echo "rewind: it needs liblz4 (sudo apt-get install liblz4-1)"
