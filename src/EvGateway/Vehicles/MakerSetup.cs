namespace EvGateway.Vehicles;

/// <summary>
/// What the composition may ask about a maker before anything runs: whether the settings name an account for it.
/// Each maker registers one, so start-up decisions (demo mode) never read a maker's own configuration keys.
/// </summary>
/// <param name="Maker">The adapter's name (see <see cref="IVehicleProvider.Maker"/>).</param>
/// <param name="IsConfigured">True when the settings name an account for the maker.</param>
public sealed record MakerSetup(string Maker, Func<IConfiguration, bool> IsConfigured);
