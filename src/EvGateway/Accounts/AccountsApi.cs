using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using EvGateway.Vehicles.Budget;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvGateway.Accounts;

/// <summary>
/// <c>GET /api/accounts</c>: every maker account and where it stands; and under <c>/api/accounts/&lt;maker&gt;/</c>, the
/// routes each maker maps for its own login steps.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts");
        accounts.MapGet("/", ListAccounts).WithName(nameof(ListAccounts))
            .WithSummary("Every maker account: connected, code_required, login_required, credentials_rejected or unavailable, with what to do");

        foreach (var routes in app.ServiceProvider.GetServices<MakerAccountRoutes>())
        {
            routes.Map(accounts.MapGroup("/" + routes.Maker.ToLowerInvariant()).WithTags("Accounts").WithGatewayProblems());
        }

        return app;
    }

    /// <summary>Lists every maker account with its state and call budget; no secret is ever part of it.</summary>
    public static Ok<AccountStatus[]> ListAccounts(IEnumerable<IMakerAccount> accounts, CallBudgets budgets) =>
        TypedResults.Ok(accounts.Select(account => budgets.WithBudget(account.Status)).ToArray());
}
