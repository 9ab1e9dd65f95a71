using Rewind.Cli;
using Rewind.Cli.Commands;

return CommandLine.Run(args,
[
    new RecordCommand(),
    new ReplayCommand(),
    new InfoCommand(),
    new PsCommand(),
    new DumpCommand(),
    new StacksCommand(),
    new GdbServerCommand(),
    new DapCommand(),
    new HibernateCommand(),
    new ResumeCommand(),
    new CheckCommand(),
    new RunCommand(),
]);
