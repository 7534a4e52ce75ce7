namespace EvGateway.Vehicles.Accounts;

/// <summary>
/// Keeps the settings of accounts the owner connected through the API or the setup page (in the data directory,
/// 0600). They count as configured: they are read like any other setting (<c>Renault:Username</c>, ...), over what
/// appsettings and the environment say, since the owner gave them last; and they survive restarts.
/// </summary>
public interface IAccountSettingsStore
{
    /// <summary>Replaces the stored settings of one section (a maker's name) and makes them visible at once.</summary>
    Task SaveAsync(string section, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken);
}
