#!/usr/bin/env bash
# Installs rewind for one user: the published CLI in PREFIX/lib/rewind and a link to it in
# PREFIX/bin/rewind. PREFIX is ~/.local unless given; PREFIX/bin must be on PATH.
#   bash src/Rewind.Cli/install.sh [PREFIX]             (npm run install-local)
#   bash src/Rewind.Cli/install.sh --uninstall [PREFIX]
# Needs the .NET 10 SDK and gcc to build, and at run time the liblz4-1 and gdb packages (Debian), not .NET.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--uninstall" ]; then
  prefix="${2:-$HOME/.local}"
  rm -rf "$prefix/lib/rewind" "$prefix/bin/rewind"
  echo "rewind: removed from $prefix"
  exit 0
fi
prefix="$(mkdir -p "${1:-$HOME/.local}" && cd "${1:-$HOME/.local}" && pwd)"
# Compiled ahead of time into one native executable (NativeAOT; linking needs gcc): each command
# starts in milliseconds, not the 0.1 s a .NET runtime takes to start and warm up, and the
# machine needs no .NET. `rewind record -- /bin/true` takes 0.03 s so (docs/benchmarks.md,
# "Start-up of runtimes"). Its symbols are in rewind.dbg beside it, for perf and gdb.
rm -rf "$prefix/lib/rewind"
dotnet publish src/Rewind.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$prefix/lib/rewind" -nologo -v quiet
mkdir -p "$prefix/bin"
ln -sfn "$prefix/lib/rewind/rewind" "$prefix/bin/rewind"
echo "rewind: installed $("$prefix/bin/rewind" --version | cut -d' ' -f2) in $prefix/bin/rewind"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "rewind: add $prefix/bin to PATH to run it as 'rewind'";; esac
ldconfig -p 2>/dev/null | grep -q 'liblz4\.so\.1' || echo "rewind: it needs liblz4 (sudo apt-get install liblz4-1)"
