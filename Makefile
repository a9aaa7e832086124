# Two commands for a new user: `make run` (the demo) and `make test`.
MVN ?= mvn -B -q
DEMO_SECONDS ?= 30
export DEMO_SECONDS

.PHONY: build run test clean

build:
	$(MVN) -DskipTests package

run: build
	java -jar simulator/target/simulator.jar demo --seconds $(DEMO_SECONDS)

test:
	mvn -B verify

clean:
	mvn -B -q clean
	rm -rf out
