using EvGateway.Vehicles;

namespace EvGateway.Hosting;

/// <summary>
/// <c>EvGateway &lt;command&gt; ...</c>: runs one of the registered <see cref="IGatewayCommand"/>s with the composed
/// services and settings, before anything is served (no demo mode, no background work), then ends the process.
/// Settings given on the command line go before the command's name.
/// </summary>
public static class GatewayCommands
{
    /// <summary>
    /// Runs the command <paramref name="args"/> name, if they name one; settings (<c>--Key=value</c>, <c>Key=value</c>)
    /// are never mistaken for a command.
    /// </summary>
    /// <returns>The exit code of the command that ran, or null when the gateway is to serve as usual.</returns>
    public static int? RunCommand(this WebApplication app, string[] args)
    {
        var at = CommandIndex(args);
        if (at < 0)
        {
            return null;
        }

        var name = args[at];
        try
        {
            var commands = app.Services.GetServices<IGatewayCommand>().ToArray();
            if (commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)) is not { } command)
            {
                Console.Error.WriteLine($"EvGateway: unknown command '{name}'. Commands:");
                foreach (var known in commands)
                {
                    Console.Error.WriteLine($"  {known.Usage}");
                }

                return 1;
            }

            return command.RunAsync(args[(at + 1)..], Console.Out, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception failure) when (HostingExtensions.StartProblems(failure) is { Count: > 0 } problems)
        {
            // A wrong setting: one line naming it, as a start would say it, not a stack trace.
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"EvGateway cannot run {name}: {problem}");
            }

            return 1;
        }
    }

    // The first word that is neither a setting nor the value of the setting before it.
    private static int CommandIndex(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith('-') || arg.StartsWith('/'))
            {
                // "--Key value": the next word is this setting's value.
                if (!arg.Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            if (!arg.Contains('=', StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
