using EvGateway.History;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.History;

/// <summary>A history file in a folder of its own, removed afterwards, with what its database logged.</summary>
public sealed class HistoryStore : IDisposable
{
    public HistoryStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("evgw-history-").FullName;
        Database = OpenDatabase();
    }

    public string Directory { get; }
    public CapturedLog Log { get; } = new();
    public HistoryDatabase Database { get; private set; }

    public string FilePath => Path.Combine(Directory, HistoryDatabase.FileName);

    /// <summary>A new database object over the same folder, as a restarted gateway would have.</summary>
    public HistoryDatabase OpenDatabase() => Database = new HistoryDatabase(Options.Create(new GatewayOptions { DataDirectory = Directory }),
        TimeProvider.System, new LoggerFactory([Log]).CreateLogger<HistoryDatabase>());

    public List<HistorySample> Read(string vin)
    {
        using var connection = Database.Open();
        return HistorySamples.Read(connection, vin, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp folders.
        }
    }
}
