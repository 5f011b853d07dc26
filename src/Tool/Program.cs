// overlay: inspect, verify, diff and upgrade Overlay files from their embedded schemas
// (docs/tool.md). Every command and exit code is built in Cli/OverlayCli.cs.
using Overlay.Tool.Cli;

return OverlayCli.Run(args, ToolConsole.ForProcess());
