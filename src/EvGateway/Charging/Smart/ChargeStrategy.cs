
namespace EvGateway.Charging.Smart;

public enum ChargeStrategy
{
    /// <summary>Any set of periods: for cars (or gateways) that can start and stop many times.</summary>
    Split,

    /// <summary>One start time, then charge until done: what a delayed-start or a one-period schedule can express.</summary>
    Contiguous,
}
