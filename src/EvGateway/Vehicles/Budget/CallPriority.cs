namespace EvGateway.Vehicles.Budget;

/// <summary>
/// Who a cloud call is for, highest first. A maker account's hourly budget is spent in this order: the lower a
/// priority, the larger the part of the hour it must leave to the ones above it (<see cref="CallBudget"/>).
/// </summary>
public enum CallPriority
{
    /// <summary>A remote command, whoever sent it: it never waits behind reads.</summary>
    Command,

    /// <summary>A read a person asked for (the dashboard, a script asking no more often than the refresh policy allows).</summary>
    Person,

    /// <summary>Charge control's reads (threshold and stop-time checks).</summary>
    ChargeControl,

    /// <summary>The background refresh and home-automation polling.</summary>
    Background,
}
