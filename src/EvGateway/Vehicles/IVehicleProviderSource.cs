namespace EvGateway.Vehicles;

/// <summary>
/// Adapters that are not registered one by one but come and go as a whole (demo mode's, pointed at the simulated
/// clouds). The directory serves their cars beside the registered adapters' while they are there.
/// </summary>
public interface IVehicleProviderSource
{
    IReadOnlyList<IVehicleProvider> Providers { get; }
}
