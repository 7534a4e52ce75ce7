using FluentValidation;

namespace EvGateway.Vehicles;

/// <summary>
/// Runs FluentValidation validators in front of Minimal API handlers. FluentValidation.AspNetCore's automatic
/// validation hooks into MVC model binding only, so Minimal APIs need this endpoint filter.
/// </summary>
public static class Validation
{
    /// <summary>Validates the handler's <typeparamref name="T"/> argument; a failure is a 400 ValidationProblem naming each field.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilter<ValidationFilter<T>>()
        .ProducesValidationProblem();

    /// <summary>
    /// Registers the validator <see cref="Validate{T}"/> runs for <typeparamref name="T"/>. Each feature names its own
    /// beside its routes: a scan of the assembly at start would load every type in it, pages included.
    /// </summary>
    public static IServiceCollection AddValidator<T, TValidator>(this IServiceCollection services) where TValidator : class, IValidator<T> =>
        services.AddScoped<IValidator<T>, TValidator>();

    /// <summary>A 400 ValidationProblem for one field, the shape every validation failure has.</summary>
    public static IResult Problem(string field, string reason) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [reason] },
        detail: $"{field}: {reason}",
        extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });

    private sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var argument = context.Arguments.OfType<T>().FirstOrDefault();
            if (argument is null)
            {
                return Problem(typeof(T).Name, "A JSON body is required.");
            }

            var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
            if (result.IsValid)
            {
                return await next(context);
            }

            var errors = result.Errors
                .GroupBy(e => JsonName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
            return TypedResults.ValidationProblem(errors,
                detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed });
        }

        private static string JsonName(string property) =>
            string.IsNullOrEmpty(property) ? property : char.ToLowerInvariant(property[0]) + property[1..];
    }
}
