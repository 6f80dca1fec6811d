from hypothesis import HealthCheck, settings

# 25 examples per form keeps make test fast; CI runs the same examples each time.
settings.register_profile(
    "hostile",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.load_profile("hostile")
