namespace EvGateway.Vehicles;

/// <summary>
/// A one-off task the gateway runs instead of serving (<c>EvGateway &lt;name&gt; ...</c>), such as an import, with the
/// services and settings the gateway itself would use. The feature or maker it belongs to registers it.
/// </summary>
public interface IGatewayCommand
{
    /// <summary>The first command-line word that runs it, e.g. "import-psacc".</summary>
    string Name { get; }

    /// <summary>One line: the name, its arguments and what it does.</summary>
    string Usage { get; }

    /// <summary>Runs with the words after the name; writes what a person needs to read; never writes a secret.</summary>
    /// <returns>The process exit code: 0 done, 1 failed.</returns>
    Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, CancellationToken cancellationToken);
}
