using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// The account list and the stored-account file. Stored accounts join the configuration here, over appsettings and
    /// the environment, so every maker reads them as its own settings.
    /// </summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.DataDirectory)}"]
                            ?? new GatewayOptions().DataDirectory;
        var stored = new StoredAccounts(dataDirectory, TimeProvider.System);
        ((IConfigurationBuilder)builder.Configuration).Add(stored);
        builder.Services.AddSingleton(stored);
        builder.Services.AddSingleton<IAccountSettingsStore>(stored);
        builder.Services.AddHostedService<StoredAccountsReport>();
        builder.Services.AddSingleton<AccountChanges>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AccountChanges>());
        builder.Services.AddHealthChecks().AddCheck<AccountsHealth>("accounts", tags: ["ready"]);
        return builder;
    }

    /// <summary>Says once, at start, that the stored-account file was unreadable and set aside (it is read before logging exists).</summary>
    private sealed class StoredAccountsReport(StoredAccounts stored, ILogger<StoredAccountsReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (stored.LoadProblem is { } problem)
            {
                logger.LogError("{Problem}", problem);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
