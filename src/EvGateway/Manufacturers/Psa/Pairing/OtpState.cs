using System.Text.Json.Serialization;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// An activated inWebo soft token: what every one-time password needs (psa-remote-pairing.md §7), plus the times of
/// the OTPs taken in the last 24 hours. Secret as a whole: it holds the PIN, which every OTP's R2 proof hashes.
/// </summary>
public sealed record OtpState
{
    /// <summary>psa_car_controller's own limit, kept here too: each OTP frees its slot 24 hours after it was taken.</summary>
    public const int DailyOtpLimit = 6;

    public static readonly TimeSpan OtpWindow = TimeSpan.FromHours(24);

    /// <summary>16 hex; the first half of the serial, kept when pairing again.</summary>
    public required string DeviceId { get; init; }

    /// <summary>32 hex; the second half of the serial, new at every pairing.</summary>
    public required string Alea { get; init; }

    public required string Pin { get; init; }

    /// <summary>The inWebo access id the pairing was made with.</summary>
    public required string MacId { get; init; }

    /// <summary>The factory modulus as the server sent it (hex).</summary>
    public required string Kfact { get; init; }

    /// <summary>The unwrapped modulus of the server's encryption key (hex).</summary>
    public required string Kiw { get; init; }

    /// <summary>The tool id (iwid).</summary>
    public required string ToolId { get; init; }

    /// <summary>The server's sync stamp, sent back as lastsync (iwTsync).</summary>
    public required string LastSync { get; init; }

    public required string K0 { get; init; }

    /// <summary>Moves on whenever the server sends dK1: persist after every OTP.</summary>
    public required string K1 { get; init; }

    /// <summary>The service id sent as sid (iwsecid).</summary>
    public required string SecretId { get; init; }

    /// <summary>The ms secret under Kma (iwsecval, hex).</summary>
    public required string SecretValue { get; init; }

    /// <summary>True once the ms step began (psa_car_controller's action "synchro"): R2 then proves the PIN.</summary>
    public bool Synchro { get; init; } = true;

    /// <summary>When OTPs were asked for, refused ones included, oldest first; only the last 24 hours are kept.</summary>
    public IReadOnlyList<DateTimeOffset> OtpTimes { get; init; } = [];

    [JsonIgnore]
    public string Serial => $"{DeviceId}/_/{Alea}";

    /// <summary>How many OTPs may still be taken now.</summary>
    public int OtpsLeft(DateTimeOffset now) => Math.Max(0, DailyOtpLimit - Recent(now).Count);

    /// <summary>When the next OTP slot frees up; null while one is free.</summary>
    public DateTimeOffset? NextOtpAllowedAt(DateTimeOffset now)
    {
        var recent = Recent(now);
        return recent.Count < DailyOtpLimit ? null : recent[^DailyOtpLimit] + OtpWindow;
    }

    internal OtpState WithOtpTaken(DateTimeOffset now) => this with { OtpTimes = [.. Recent(now), now] };

    private List<DateTimeOffset> Recent(DateTimeOffset now) => [.. OtpTimes.Where(t => now - t < OtpWindow).Order()];

    public override string ToString() => $"{nameof(OtpState)} {{ ToolId = {ToolId}, OtpTimes = {OtpTimes.Count} }}";
}
