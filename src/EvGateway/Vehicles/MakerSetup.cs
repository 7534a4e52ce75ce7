namespace EvGateway.Vehicles;

/// <summary>
/// What the composition may ask about a maker before anything runs: whether the settings name an account for it.
/// Each maker registers one, so start-up decisions (demo mode) never read a maker's own configuration keys.
/// </summary>
/// <param name="Maker">The adapter's name (see <see cref="IVehicleProvider.Maker"/>).</param>
/// <param name="IsConfigured">True when the settings name an account for the maker.</param>
/// <param name="Register">The maker's own registration, so a second set of its adapters can be composed over other
/// settings (demo mode's, against the simulated clouds).</param>
public sealed record MakerSetup(string Maker, Func<IConfiguration, bool> IsConfigured, Func<IServiceCollection, IConfiguration, IServiceCollection> Register);
