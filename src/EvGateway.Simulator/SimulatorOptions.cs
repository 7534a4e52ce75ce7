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

    /// <summary>Lifetime of the Gigya JWT (the real cloud issues 900 s).</summary>
    public TimeSpan RenaultJwtLifetime { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Kamereon calls allowed per account per rolling hour before 429 err.func.wired.overloaded.</summary>
    public int RenaultCallsPerHour { get; init; } = 60;
}
