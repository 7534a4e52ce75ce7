using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.HomeAutomation.Abrp;

/// <summary>
/// Which cars send live data to ABRP and with which user token: the owner's token (the old bridge's one token for
/// all cars) and, per car, the opt-in and an optional token of its own (ABRP gives each car its own). Kept in
/// <c>{DataDirectory}/abrp.json</c>, owner-only, because a user token lets anyone write that car's data in ABRP.
/// </summary>
public sealed class AbrpSettings
{
    public const string FileName = "abrp.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly Lock gate = new();
    private readonly string path;
    private Stored stored = new(null, new Dictionary<string, StoredCar>(StringComparer.OrdinalIgnoreCase));

    public AbrpSettings(IOptions<GatewayOptions> gateway, ILogger<AbrpSettings> logger)
    {
        path = Path.Combine(gateway.Value.DataDirectory, FileName);
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json) is { } read)
            {
                stored = read with { Cars = new Dictionary<string, StoredCar>(read.Cars, StringComparer.OrdinalIgnoreCase) };
            }
        }
        catch (Exception failure) when (failure is JsonException or IOException)
        {
            logger.LogWarning("Could not read the ABRP settings in {Path} ({Reason}); starting with ABRP off", path, failure.Message);
        }
    }

    /// <summary>The owner's token, used by every car without one of its own.</summary>
    public string? OwnerToken
    {
        get
        {
            lock (gate)
            {
                return stored.Token;
            }
        }
    }

    /// <summary>The cars that send live data.</summary>
    public IReadOnlyList<string> EnabledCars()
    {
        lock (gate)
        {
            return stored.Cars.Where(car => car.Value.Enabled).Select(car => car.Key).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The car's opt-in and the token its readings go out with (its own, else the owner's).</summary>
    public (bool Enabled, string? Token) For(string vin)
    {
        lock (gate)
        {
            var car = stored.Cars.GetValueOrDefault(vin);
            return (car?.Enabled ?? false, car?.Token ?? stored.Token);
        }
    }

    /// <summary>Turns a car's live data on or off; a token given becomes that car's own (an empty one removes it).</summary>
    public Task SetCarAsync(string vin, bool enabled, string? token, CancellationToken cancellationToken) => ChangeAsync(current =>
    {
        var own = token is null ? current.Cars.GetValueOrDefault(vin)?.Token : token.Length == 0 ? null : token;
        var cars = new Dictionary<string, StoredCar>(current.Cars, StringComparer.OrdinalIgnoreCase) { [vin] = new StoredCar(enabled, own) };
        return current with { Cars = cars };
    }, cancellationToken);

    public Task SetOwnerTokenAsync(string? token, CancellationToken cancellationToken) =>
        ChangeAsync(current => current with { Token = string.IsNullOrEmpty(token) ? null : token }, cancellationToken);

    private async Task ChangeAsync(Func<Stored, Stored> change, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            Stored next;
            lock (gate)
            {
                next = change(stored);
            }

            await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(next, Json), cancellationToken);
            lock (gate)
            {
                stored = next;
            }
        }
        finally
        {
            writing.Release();
        }
    }

    private sealed record Stored(string? Token, Dictionary<string, StoredCar> Cars);

    private sealed record StoredCar(bool Enabled, string? Token);
}
