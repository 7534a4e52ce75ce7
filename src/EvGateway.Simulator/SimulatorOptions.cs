using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Simulator;

/// <summary>How a <see cref="CloudSimulator"/> starts. Tests shorten lifetimes and inject a FakeTimeProvider.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Clock of the clouds and the cars (tokens, quotas, charging).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Loopback HTTP port for every simulated cloud; 0 picks a free one.</summary>
    public int HttpPort { get; init; }

    /// <summary>Loopback MQTT port of the simulated PSA broker; 0 picks a free one.</summary>
    public int MqttPort { get; init; }

    /// <summary>
    /// The PSA broker listens with TLS, as the real one does, with a certificate signed by an authority made up for
    /// this run (see <c>PsaCloud.MqttCaCertificatePem</c>); false = plain TCP.
    /// </summary>
    public bool PsaMqttTls { get; init; }

    /// <summary>Lifetime of the Gigya JWT (the real cloud issues 900 s).</summary>
    public TimeSpan RenaultJwtLifetime { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Kamereon calls allowed per account per rolling hour before 429 err.func.wired.overloaded.</summary>
    public int RenaultCallsPerHour { get; init; } = 60;

    /// <summary>Lifetime of a PSA OAuth access token (the real IDP issues 3599 s).</summary>
    public TimeSpan PsaAccessTokenLifetime { get; init; } = TimeSpan.FromSeconds(3599);

    /// <summary>Lifetime of a PSA remote-command (virtual key) token (the real cloud issues 899 s).</summary>
    public TimeSpan PsaRemoteTokenLifetime { get; init; } = TimeSpan.FromSeconds(899);

    /// <summary>
    /// How long an unused PSA remote-command refresh token stays valid (unknown at PSA; the Home Assistant integration
    /// assumes about 3 days). After that only a one-time password from the paired soft token gets a new one.
    /// </summary>
    public TimeSpan PsaRemoteRefreshTokenIdleLifetime { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Where the simulated clouds log what a person would otherwise see elsewhere, such as a texted code.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Time zone the simulated cars keep their clocks in: a delayed charge at 22:30 means 22:30 here.</summary>
    public TimeZoneInfo CarTimeZone { get; init; } = TimeZoneInfo.Local;
}
