using System.Diagnostics;
using System.Globalization;
using EvGateway.History;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// One year of one-minute statuses for three cars through the real history writer into a new history.db, then the
// file size and the time of a month's trips and charges queries as the REST surface runs them.
var folder = Directory.CreateTempSubdirectory("evgw-bench-history-").FullName;
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:DataDirectory"] = folder, ["History:TimeZone"] = "UTC" })
    .Build();
await using var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
    .AddSingleton<IConfiguration>(configuration)
    .AddVehicles()
    .AddHistory(configuration)
    .BuildServiceProvider();
var writer = services.GetRequiredService<HistoryWriter>();
var database = services.GetRequiredService<HistoryDatabase>();
var history = services.GetRequiredService<ChargeHistory>();
using var stopping = new CancellationTokenSource();
await writer.StartAsync(stopping.Token);

const double Capacity = 52;
var vins = new[] { "VF1AG000164000001", "VF1AG000164000002", "VR3UHZKXZLT000003" };
var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
var minutes = (int)(start.AddYears(1) - start).TotalMinutes;
var recording = Stopwatch.StartNew();
for (var car = 0; car < vins.Length; car++)
{
    var day = new SimulatedDay(vins[car], car);
    for (var minute = 0; minute < minutes; minute++)
    {
        writer.Record(day.At(start.AddMinutes(minute)));
        if (minute % 10_000 == 0)
        {
            await writer.FlushAsync(CancellationToken.None);
        }
    }

    await writer.FlushAsync(CancellationToken.None);
}

recording.Stop();
using (var checkpoint = database.Open())
using (var command = checkpoint.CreateCommand())
{
    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
    command.ExecuteNonQuery();
}

var bytes = new FileInfo(database.FilePath).Length;
var trips = Time(month =>
{
    var samples = Read(database, month.Vin, month.From.AddDays(-2), month.To.AddDays(2));
    return Sessions.Trips(samples, Capacity).Count(t => t.Start >= month.From && t.Start < month.To);
});
var charges = Time(month => history.Priced(month.Vin, Capacity, Read(database, month.Vin, month.From.AddDays(-2), month.To.AddDays(2)),
    month.From, month.To).Count);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{vins.Length} cars x {minutes} one-minute samples recorded in {recording.Elapsed.TotalSeconds:0.0} s ({vins.Length * minutes / recording.Elapsed.TotalSeconds:0} samples/s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"history.db: {bytes / 1024.0 / 1024.0:0.0} MiB"));
Console.WriteLine(trips.Report("trips of a month"));
Console.WriteLine(charges.Report("charges of a month"));
await writer.StopAsync(CancellationToken.None);
Directory.Delete(folder, recursive: true);

static List<HistorySample> Read(HistoryDatabase database, string vin, DateTimeOffset from, DateTimeOffset to)
{
    using var connection = database.Open();
    return HistorySamples.Read(connection, vin, from, to);
}

Timings Time(Func<(string Vin, DateTimeOffset From, DateTimeOffset To), int> query)
{
    var random = new Random(7);
    var elapsed = new List<double>();
    var found = 0;
    for (var run = 0; run < 200; run++)
    {
        var monthStart = start.AddMonths(random.Next(12));
        var clock = Stopwatch.StartNew();
        found = query((vins[random.Next(vins.Length)], monthStart, monthStart.AddMonths(1)));
        elapsed.Add(clock.Elapsed.TotalMilliseconds);
    }

    elapsed.Sort();
    return new Timings(elapsed, found);
}

/// <summary>Query times in milliseconds, sorted, and what the last query found.</summary>
internal sealed record Timings(List<double> Milliseconds, int LastCount)
{
    public string Report(string what) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: p50 {Percentile(0.50):0.0} ms, p99 {Percentile(0.99):0.0} ms over {Milliseconds.Count} queries ({LastCount} found in the last)");

    private double Percentile(double share) => Milliseconds[(int)Math.Ceiling(share * Milliseconds.Count) - 1];
}

/// <summary>
/// A commuter's car, the same every day: 30 minutes to work at 07:30, back at 17:30, plugged in at home at 22:30 and
/// charged at 7.4 kW until full; parked the rest of the time. Each car's home is a little apart from the others'.
/// </summary>
internal sealed class SimulatedDay(string vin, int index)
{
    private const double Capacity = 52;
    private const double KmPerMinute = 0.8;
    private const double PointsPerKm = 15.0 / 100 / Capacity * 100;
    private const double PointsPerMinuteCharging = 7.4 / 60 / Capacity * 100;
    private double level = 80;
    private double odometer = 10_000 * (index + 1);
    private bool atWork;

    public VehicleStatus At(DateTimeOffset at)
    {
        var clock = at.TimeOfDay;
        var driving = clock >= new TimeSpan(7, 30, 0) && clock < new TimeSpan(8, 0, 0) || clock >= new TimeSpan(17, 30, 0) && clock < new TimeSpan(18, 0, 0);
        var charging = !driving && (clock >= new TimeSpan(22, 30, 0) || clock < new TimeSpan(7, 0, 0)) && level < 100;
        if (driving)
        {
            odometer += KmPerMinute;
            level = Math.Max(0, level - KmPerMinute * PointsPerKm);
            atWork = clock.Hours < 12;
        }
        else if (charging)
        {
            level = Math.Min(100, level + PointsPerMinuteCharging);
        }

        var latitude = (atWork ? 48.90 : 48.85) + index * 0.01;
        return new VehicleStatus
        {
            Vin = vin,
            Brand = "Bench",
            Model = "Commuter",
            BatteryLevel = Math.Round(level, 1),
            RangeKm = Math.Round(level * 3),
            OdometerKm = Math.Round(odometer, 1),
            PlugState = charging ? PlugState.Plugged : PlugState.Unplugged,
            ChargeState = charging ? ChargeState.Charging : ChargeState.NotCharging,
            ChargePowerKw = charging ? 7.4 : null,
            Location = new VehicleLocation(latitude, 2.35, null, at),
            UpdatedAt = at,
            FetchedAt = at,
        };
    }
}
