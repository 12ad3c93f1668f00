"""Developer tools, apart from the product: the benchmark (``python -m tools.bench``), the upload
bombs it measures (tools.bench_uploads), the browser load test (``python -m tools.loadtest``) and the
AppTest page timer (tools.apptest_bench). Nothing in atlas/ or pages/ imports them."""
