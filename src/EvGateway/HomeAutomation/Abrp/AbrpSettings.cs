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
    private readonly SettingsFile<Stored> file;
    private Stored stored;

    public AbrpSettings(IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<AbrpSettings> logger)
    {
        file = new(Path.Combine(gateway.Value.DataDirectory, FileName), Json, "no car sends live data to ABRP", time, logger);
        var read = file.Load() ?? new Stored(null, []);
        stored = read with { Cars = new Dictionary<string, StoredCar>(read.Cars, StringComparer.OrdinalIgnoreCase) };
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

            await file.SaveAsync(next, cancellationToken);
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
