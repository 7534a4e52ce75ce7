using System.Text.Json;
using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// The soft token in one JSON file (default name <see cref="FileName"/> in the data directory), written atomically and
/// readable by its owner only: it holds the PIN and the keys that make one-time passwords.
/// </summary>
public sealed class OtpStateStore(string path)
{
    public const string FileName = "psa-otp.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = path;

    /// <summary>True once a pairing was stored (it may still have been revoked by PSA since).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>The stored pairing, or null when there is none.</summary>
    /// <exception cref="PsaPairingException">The file exists but is damaged (<see cref="PsaPairingFailure.NotPaired"/>).</exception>
    public async Task<OtpState?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            await using var file = File.OpenRead(Path);
            return await JsonSerializer.DeserializeAsync<OtpState>(file, Json, cancellationToken)
                   ?? throw Damaged();
        }
        catch (JsonException)
        {
            throw Damaged();
        }
    }

    public Task SaveAsync(OtpState state, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(Path, JsonSerializer.Serialize(state, Json), cancellationToken);

    private static PsaPairingException Damaged() => PsaPairingException.NotPaired("The stored remote-command pairing is damaged.");
}
