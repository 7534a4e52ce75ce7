namespace EvGateway.Vehicles.Budget;

/// <summary>
/// Spends the maker account's <see cref="CallBudget"/> on every HTTP request that really leaves for the cloud, at the
/// priority of the flow that sent it. It sits innermost in the maker's client (below the retries and the token
/// replay), so each attempt counts as the cloud counts it. Without room for that priority, nothing is sent.
/// </summary>
public sealed class CallBudgetHandler(CallBudgets budgets, string maker) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var priority = CallIntent.Current.Priority;
        if (!budgets.For(maker).TrySpend(priority, out var retryAfter))
        {
            budgets.Deferred(maker, priority);
            throw GatewayException.BudgetExhausted(maker, retryAfter);
        }

        CallIntent.Counted();
        return base.SendAsync(request, cancellationToken);
    }
}
