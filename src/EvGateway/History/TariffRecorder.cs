using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EvGateway.History;

/// <summary>
/// Keeps the day-ahead prices (Tariff:Url) in the history file as the feed publishes them: the feed lists only the
/// last couple of days, and a session is priced from the slots it ran in, possibly weeks later. Reads the feed when
/// the gateway starts and then every Tariff:RefreshMinutes; does nothing without a feed.
/// </summary>
public sealed partial class TariffRecorder(
    TariffClient tariff,
    IOptions<TariffOptions> options,
    HistoryDatabase database,
    TimeProvider time,
    ILogger<TariffRecorder> logger) : BackgroundService
{
    /// <summary>Reads the feed and stores its slots; returns how many were new or changed (0 when the feed could not be read).</summary>
    public async Task<int> RecordAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return 0;
        }

        try
        {
            var slots = await tariff.GetPricesAsync(cancellationToken);
            using var connection = database.Open();
            return HistoryPrices.SaveSlots(connection, slots);
        }
        // A failed read or write must not stop the gateway: the next round tries again.
        catch (Exception failure) when (failure is GatewayException or SqliteException)
        {
            LogFeedUnreadable(logger, failure.Message);
            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (options.Value.IsConfigured && !stoppingToken.IsCancellationRequested)
        {
            await RecordAsync(stoppingToken);
            await Task.Delay(TimeSpan.FromMinutes(options.Value.RefreshMinutes), time, stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Day-ahead prices not kept this time: {Reason}; sessions in slots never seen are priced at the fixed rates")]
    private static partial void LogFeedUnreadable(ILogger logger, string reason);
}
