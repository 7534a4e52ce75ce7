using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EvGateway.History;

/// <summary>
/// Fills the history with the charges a car's own cloud lists (<see cref="IChargeHistorySource"/>) that the gateway
/// missed, typically while it was not running. Looks every hour, but asks each car's cloud at most once per UTC day:
/// from the last day read in full (the first time, the last <see cref="FirstLookBackDays"/> days) to today. The day
/// of the last attempt is kept in history.db before the call, so a failed read, like a restart, waits for the next day
/// and never turns into a retry loop against the quota; only a read the call budget or the quota cool-down refused
/// (nothing answered) is tried again at the next hourly look. The reads spend the budget at background priority. Sessions overlapping one the gateway detected or imported are
/// not stored; the others are kept as <c>"source": "car"</c> and priced like the rest.
/// </summary>
public sealed partial class CarChargeReader(
    VehicleDirectory directory,
    IEnumerable<IChargeHistorySource> sources,
    HistoryDatabase database,
    TimeProvider time,
    IOptions<HistoryOptions> options,
    ILogger<CarChargeReader> logger) : BackgroundService
{
    public const int FirstLookBackDays = 30;

    // The first look waits for the start-up reads that fill the dashboard; the car's list is never urgent.
    private static readonly TimeSpan FirstLook = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    // Sessions are cut out of the samples around the days read, so one that started just before is seen whole.
    private static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    private static readonly CallIntent Background = new(CallPriority.Background, ByPerson: false);

    private readonly IChargeHistorySource[] sources = sources.ToArray();

    // One round at a time: two overlapping rounds could both find a car not yet asked today.
    private readonly SemaphoreSlim round = new(1, 1);

    /// <summary>One round over every car a source serves; returns how many missed sessions were stored.</summary>
    public async Task<int> ReadAsync(CancellationToken cancellationToken)
    {
        if (sources.Length == 0)
        {
            return 0;
        }

        await round.WaitAsync(cancellationToken);
        try
        {
            return await ReadCarsAsync(cancellationToken);
        }
        finally
        {
            round.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (sources.Length == 0 || !options.Value.ReadCarCharges)
        {
            return;
        }

        try
        {
            await Task.Delay(FirstLook, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReadAsync(stoppingToken);
                }
                // One bad round must not end the reader for the life of the gateway.
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogRoundFailed(logger, failure);
                }

                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway is stopping.
        }
    }

    private async Task<int> ReadCarsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Vehicle> vehicles;
        try
        {
            vehicles = await directory.GetVehiclesAsync(cancellationToken);
        }
        catch (GatewayException failure)
        {
            LogNoCars(logger, failure.Message);
            return 0;
        }

        var stored = 0;
        foreach (var vehicle in vehicles)
        {
            if (sources.FirstOrDefault(source => source.Supports(vehicle)) is not { } source)
            {
                continue;
            }

            try
            {
                stored += await ReadCarAsync(source, vehicle, cancellationToken);
            }
            catch (Exception failure) when (failure is GatewayException or SqliteException)
            {
                LogReadFailed(logger, vehicle.Vin, failure.Message);
            }
        }

        return stored;
    }

    private async Task<int> ReadCarAsync(IChargeHistorySource source, Vehicle vehicle, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        using var connection = database.Open();
        var (attempted, read) = CarCharges.ReadDays(connection, vehicle.Vin);
        if (attempted >= today)
        {
            return 0;
        }

        CarCharges.SaveDays(connection, vehicle.Vin, today, read);
        var from = read ?? today.AddDays(-FirstLookBackDays);
        IReadOnlyList<CarChargeSession> charges;
        try
        {
            // The one call to the port: "background" priority for the per-account call budget, to be spent only when
            // nothing the owner is waiting for needs the quota.
            using var background = CallIntent.Enter(Background);
            charges = await source.GetChargesAsync(vehicle, from, today, cancellationToken);
        }
        catch (GatewayException refused) when (refused.Code == ErrorCodes.UpstreamRateLimited)
        {
            CarCharges.SaveDays(connection, vehicle.Vin, attempted, read);
            LogDeferred(logger, vehicle.Vin, refused.Message);
            return 0;
        }

        var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - Margin;
        var detected = Sessions.Charges(HistorySamples.Read(connection, vehicle.Vin, since, now.AddMinutes(1)), vehicle.BatteryCapacityKwh);
        var imported = ImportedCharges.Read(connection, vehicle.Vin, since, now.AddMinutes(1));
        var missed = charges
            .Where(c => !detected.Any(d => ChargeHistory.Overlap(c.Start, c.End, d.Start, d.End))
                        && !imported.Any(i => ChargeHistory.Overlap(c.Start, c.End, i.Start, i.End)))
            .ToList();
        var stored = CarCharges.Insert(connection, vehicle.Vin, missed);
        CarCharges.SaveDays(connection, vehicle.Vin, today, today);
        LogRead(logger, vehicle.Vin, charges.Count, stored);
        return stored;
    }

    [LoggerMessage(LogLevel.Information, "The car {Vin} listed {Listed} charges; {Stored} the gateway had missed were added to its history")]
    private static partial void LogRead(ILogger logger, string vin, int listed, int stored);

    [LoggerMessage(LogLevel.Warning, "The charge list of {Vin} could not be read: {Reason}; it is asked again tomorrow")]
    private static partial void LogReadFailed(ILogger logger, string vin, string reason);

    [LoggerMessage(LogLevel.Information, "The charge list of {Vin} was not read: {Reason}; it is asked again in an hour")]
    private static partial void LogDeferred(ILogger logger, string vin, string reason);

    [LoggerMessage(LogLevel.Warning, "No car charge lists read this round: the cars could not be listed ({Reason})")]
    private static partial void LogNoCars(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Error, "A round of reading the cars' charge lists failed; the next one runs in an hour")]
    private static partial void LogRoundFailed(ILogger logger, Exception failure);
}
