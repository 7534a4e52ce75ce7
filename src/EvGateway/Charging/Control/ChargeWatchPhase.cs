
namespace EvGateway.Charging.Control;

/// <summary>Where charge control stands with one car.</summary>
internal enum ChargeWatchPhase
{
    /// <summary>Reading the car, ready to stop its charge at the threshold or the stop time.</summary>
    Watching,

    /// <summary>A stop was sent and is checked on the next read; it is resent until <see cref="ChargeController.MaxStopAttempts"/>.</summary>
    Stopping,

    /// <summary>The car went on charging after every stop: no more stops until this charge ends.</summary>
    GaveUp,
}
