using System.Text.Json;
using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// The soft token in one JSON file (default name <see cref="FileName"/> in the data directory), written atomically and
/// readable by its owner only: it holds the PIN and the keys that make one-time passwords. A damaged file is set aside
/// like every settings file, and remote commands then ask to be paired again.
/// </summary>
public sealed class OtpStateStore(string path, TimeProvider time, ILogger<OtpStateStore> logger)
{
    public const string FileName = "psa-otp.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly SettingsFile<OtpState> file = new(path, Json,
        "remote commands need a new pairing (an SMS code and the PIN of the brand's app)", time, logger);

    public string Path => file.Path;

    /// <summary>True once a pairing was stored (it may still have been revoked by PSA since).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>The stored pairing, or null when there is none or it was damaged (and set aside).</summary>
    public Task<OtpState?> LoadAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<OtpState?>(cancellationToken) : Task.FromResult(file.Load());

    public Task SaveAsync(OtpState state, CancellationToken cancellationToken) => file.SaveAsync(state, cancellationToken);
}
