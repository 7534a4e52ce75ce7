using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// The Renault login in <c>{DataDirectory}/renault-session.json</c> (0600, written atomically): the Gigya login token,
/// the person it opens and the device cookies (<c>gmid</c>/<c>ucid</c>) that passed the e-mailed code. With them a
/// restart needs neither the password nor a new code. Never the password: that stays in the configuration or in memory.
/// </summary>
internal sealed class RenaultSessionStore(IOptions<GatewayOptions> gateway, TimeProvider time, ILogger<RenaultSessionStore> logger)
{
    public const string FileName = "renault-session.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // A damaged file costs one login, not the start of the gateway.
    private readonly SettingsFile<StoredRenaultSession> file = new(Path.Combine(gateway.Value.DataDirectory, FileName), Json,
        "Renault has to be logged in again", time, logger);

    public StoredRenaultSession Load() => file.Load() ?? new();

    // Not cancellable: a login token Gigya has just issued must not be lost halfway.
    public Task SaveAsync(StoredRenaultSession session) => file.SaveAsync(session, CancellationToken.None);
}

/// <summary>What <see cref="RenaultSessionStore"/> keeps. A record for <c>with</c>; its ToString shows no secret.</summary>
internal sealed record StoredRenaultSession
{
    public string? Username { get; init; }
    public string? Locale { get; init; }
    public string? LoginToken { get; init; }
    public string? PersonId { get; init; }
    public string? Gmid { get; init; }
    public string? Ucid { get; init; }

    public override string ToString() => $"StoredRenaultSession {{ HasLoginToken = {LoginToken is not null}, HasDevice = {Gmid is not null} }}";
}
