using System.Text.Json;
using Microsoft.Extensions.Options;

namespace EvGateway.Vehicles.Budget;

/// <summary>
/// What each car was found to lack, whatever its model: a read the cloud answered forbidden, not found or not supported
/// is not asked again for <see cref="Recheck"/> (the answer does not change, and each refusal still spends the quota),
/// then asked once more. Kept in the data directory, so a restart does not spend the quota to learn it again.
/// </summary>
public sealed class MissingEndpoints
{
    public const string FileName = "missing-endpoints.json";
    public static readonly TimeSpan Recheck = TimeSpan.FromDays(1);

    private readonly SettingsFile<Dictionary<string, Dictionary<string, DateTimeOffset>>> file;
    private readonly TimeProvider time;
    private readonly ILogger<MissingEndpoints> logger;
    private readonly SemaphoreSlim saving = new(1, 1);
    private readonly Lock gate = new();
    private Dictionary<string, Dictionary<string, DateTimeOffset>>? learnt;

    public MissingEndpoints(IOptions<GatewayOptions> options, TimeProvider time, ILogger<MissingEndpoints> logger)
    {
        // Only a cost is lost with the file (each gap is learnt again with one call), so a bad one is set aside and
        // the gateway carries on.
        file = new(Path.Combine(options.Value.DataDirectory, FileName), new JsonSerializerOptions(), "the cars' gaps are learnt again", time, logger);
        this.time = time;
        this.logger = logger;
    }

    /// <summary>True when <paramref name="vin"/> was found to lack <paramref name="endpoint"/> less than a day ago.</summary>
    public bool IsMissing(string vin, string endpoint)
    {
        lock (gate)
        {
            return Load().TryGetValue(vin, out var car) && car.TryGetValue(endpoint, out var at) && time.GetUtcNow() - at < Recheck;
        }
    }

    /// <summary>The endpoints <paramref name="vin"/> lacks today, in order.</summary>
    public IReadOnlyList<string> Of(string vin)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return Load().TryGetValue(vin, out var car) ? car.Where(e => now - e.Value < Recheck).Select(e => e.Key).Order().ToArray() : [];
        }
    }

    /// <summary>Remembers that the cloud refused <paramref name="endpoint"/> for <paramref name="vin"/> now.</summary>
    public Task LearnAsync(string vin, string endpoint)
    {
        lock (gate)
        {
            var cars = Load();
            if (!cars.TryGetValue(vin, out var car))
            {
                cars[vin] = car = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            }

            car[endpoint] = time.GetUtcNow();
        }

        logger.LogInformation("Car {Vin} has no {Endpoint}; not asking for it again before {Recheck}", vin, endpoint, time.GetUtcNow() + Recheck);
        return SaveAsync();
    }

    /// <summary>Forgets a gap: the endpoint answered when it was asked again.</summary>
    public Task AnsweredAsync(string vin, string endpoint)
    {
        lock (gate)
        {
            if (!Load().TryGetValue(vin, out var car) || !car.Remove(endpoint))
            {
                return Task.CompletedTask;
            }
        }

        return SaveAsync();
    }

    private Dictionary<string, Dictionary<string, DateTimeOffset>> Load()
    {
        if (learnt is not null)
        {
            return learnt;
        }

        learnt = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (vin, car) in file.Load() ?? [])
        {
            learnt[vin] = new Dictionary<string, DateTimeOffset>(car, StringComparer.Ordinal);
        }

        return learnt;
    }

    private async Task SaveAsync()
    {
        await saving.WaitAsync();
        try
        {
            Dictionary<string, Dictionary<string, DateTimeOffset>> copy;
            lock (gate)
            {
                copy = Load().ToDictionary(car => car.Key, car => new Dictionary<string, DateTimeOffset>(car.Value));
            }

            await file.SaveAsync(copy, CancellationToken.None);
        }
        finally
        {
            saving.Release();
        }
    }
}
