#!/usr/bin/env python3
"""Record LLAMMA reference vectors from Curve's real AMM.vy (both versions) in titanoboa.

Deploys the classic AMM (curve-stablecoin contracts/AMM.vy, vyper 0.3.10) and the current one
(curve_stablecoin/AMM.vy, vyper 0.4.3 with snekmate's wad_exp/wad_ln) beside mock tokens and a mock
oracle, plays the scenarios below and writes every state after every operation, in wei, as JSON
fixtures that `swift test` replays through `leeway bands replay --exact`. Nothing of Curve's code is
kept in the project: the script reads it from the git directories given on the command line.

  python record.py --stablecoin-git DIR --std-git DIR --vyper0310 PATH/TO/vyper [--out DIR]
  python record.py ... --bench          # time one exchange across 10 bands (BENCHMARKS.md)

See README.md beside this file for the commits, the environment and what each scenario checks.
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boa
from eth_abi import decode as abi_decode, encode as abi_encode

CLASSIC_COMMIT = "e6fc18a098181147f91eadf0d346341e0eedbea0"  # curvefi/curve-stablecoin, contracts/AMM.vy (vyper 0.3.10)
HEAD_COMMIT = "cf1d05fb6bf7c608973cc41786b2e1fd81dc3a6a"     # curvefi/curve-stablecoin, curve_stablecoin/AMM.vy (vyper 0.4.3)
STD_COMMIT = "6db238291a62eee43446a0f86323f071e5a001eb"      # curvefi/curve-std (token.vy, math.vy, IERC20.vyi)
WAD = 10**18
T0 = 1_700_000_000

MOCK_TOKEN = """
# pragma version 0.4.3
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)
decimals: public(uint8)

@deploy
def __init__():
    self.decimals = 18

@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount

@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True

@external
def transfer(to: address, amount: uint256) -> bool:
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[to] += amount
    return True

@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    if self.allowance[owner][msg.sender] != max_value(uint256):
        self.allowance[owner][msg.sender] -= amount
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount
    return True
"""

MOCK_ORACLE = """
# pragma version 0.4.3
p: uint256

@deploy
def __init__(p: uint256):
    self.p = p

@external
def set_price(p: uint256):
    self.p = p

@view
@external
def price() -> uint256:
    return self.p

@external
def price_w() -> uint256:
    return self.p
"""


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout


def ln_int(x):
    """ControllerFactory.ln_int of the classic version (the factory computes the constructor's log_A_ratio)."""
    res = 0
    for i in range(8):
        t = 2 ** (7 - i)
        p = 2**t
        if x >= p * WAD:
            x //= p
            res += t * WAD
    d = WAD
    for _ in range(59):
        if x >= 2 * WAD:
            res += d
            x //= 2
        x = x * x // WAD
        d //= 2
    return res * WAD // 1442695040888963328


def isqrt(n):
    import math
    return math.isqrt(n)


def dec(wei):
    """A wei integer as the exact decimal of coin units (at most 18 decimals)."""
    sign = "-" if wei < 0 else ""
    wei = abs(wei)
    whole, frac = divmod(wei, WAD)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{str(frac).rjust(18, '0').rstrip('0')}"


class Market:
    """One AMM with its mock tokens and oracle; the deployer EOA is the AMM's admin (the Controller's role)."""

    def __init__(self, version, sources, A, base_price, fee, oracle_price, admin_fee=0, admin_is_deployer=True):
        self.version = version
        self.A = A
        boa.env.timestamp = T0
        self.admin = boa.env.generate_address("admin")
        self.trader = boa.env.generate_address("trader")
        self.users = {}
        with boa.env.prank(self.admin):
            self.borrowed = boa.loads(MOCK_TOKEN, name="Borrowed")
            self.collateral = boa.loads(MOCK_TOKEN, name="Collateral")
            self.oracle = boa.loads(MOCK_ORACLE, oracle_price, name="Oracle")
        a_ratio = WAD * A // (A - 1)
        sqrt_band_ratio = isqrt(a_ratio * WAD)
        log_a_ratio = ln_int(a_ratio)
        args = [self.borrowed.address, 1, self.collateral.address, 1, A, sqrt_band_ratio, log_a_ratio, base_price, fee, admin_fee, self.oracle.address]
        self.params = {"A": A, "base_price": dec(base_price), "fee": dec(fee), "admin_fee": dec(admin_fee),
                       "oracle_price": dec(oracle_price), "ts": T0 * 1000,
                       "sqrt_band_ratio_wei": str(sqrt_band_ratio), "log_A_ratio_wei": str(log_a_ratio)}
        if version == "classic":
            bytecode, abi = sources["classic"]
            types = ["address", "uint256", "address", "uint256", "uint256", "uint256", "int256", "uint256", "uint256", "uint256", "address"]
            initcode = bytecode + abi_encode(types, args)
            with boa.env.prank(self.admin):
                address, _ = boa.env.deploy_code(bytecode=initcode)
            self.amm = boa.loads_abi(json.dumps(abi), name="AMM_classic").at(address)
        else:
            with boa.env.prank(self.admin):
                self.amm = boa.load_partial(sources["head"]).deploy(*args)
        with boa.env.prank(self.admin):
            if admin_is_deployer:
                self.amm.set_admin(self.admin)
            self.borrowed.mint(self.trader, 10**40)
            self.collateral.mint(self.trader, 10**40)
        with boa.env.prank(self.trader):
            self.borrowed.approve(self.amm.address, 2**256 - 1)
            self.collateral.approve(self.amm.address, 2**256 - 1)
        self.touched = set()

    def user(self, name):
        if name not in self.users:
            self.users[name] = boa.env.generate_address(name)
        return self.users[name]

    # Operations, each returning the result object of the state line (or raising boa's revert).
    def deposit(self, name, amount, n1, n2):
        with boa.env.prank(self.admin):
            self.amm.deposit_range(self.user(name), amount, n1, n2)
            self.collateral.mint(self.amm.address, amount)
        self.touched.update(range(n1, n2 + 1))
        return None

    def withdraw(self, name, frac):
        with boa.env.prank(self.admin):
            x, y = self.amm.withdraw(self.user(name), frac)
        return {"returned": [str(x), str(y)]}

    def set_oracle(self, price):
        self.oracle.set_price(price)
        return None

    def exchange(self, i, j, amount):
        with boa.env.prank(self.trader):
            done = self.amm.exchange(i, j, amount, 0)
        return {"exchange_result": [str(done[0]), str(done[1])]}

    def amount_for_price(self, price):
        amount, pump = self.amm.get_amount_for_price(price)
        return {"amount_for_price": str(amount), "pump": bool(pump)}

    def user_ticks(self, address):
        if self.version == "classic":
            ns = self.amm.read_user_tick_numbers(address)
            packed = self.amm.user_shares(address)
            ticks = list(packed[1]) if isinstance(packed, (tuple, list)) else list(packed.ticks)
            shares = []
            for word in ticks:
                shares.append(word & (2**128 - 1))
                shares.append(word >> 128)
            return ns, shares[: ns[1] - ns[0] + 1]
        ns = self.amm.read_user_tick_numbers(address)
        return ns, list(self.amm.read_user_ticks(address))

    def state(self):
        amm = self.amm
        s = {
            "timestamp": boa.env.timestamp * 1000,
            "price_oracle": str(amm.price_oracle()),
            "active_band": amm.active_band(),
            "min_band": amm.min_band(),
            "max_band": amm.max_band(),
            "get_p": str(amm.get_p()),
            "rate_mul": str(amm.get_rate_mul()),
        }
        if self.version == "classic":
            s["dynamic_fee"] = str(amm.dynamic_fee())
            s["admin_fees"] = [str(amm.admin_fees_x()), str(amm.admin_fees_y())]
        else:
            s["dynamic_fee"] = str(max(amm.fee(), amm.internal._price_oracle_ro()[1]))
        lo, hi = min(self.touched | {s["active_band"]}) - 1, max(self.touched | {s["active_band"]}) + 1
        s["bands"] = {str(n): [str(amm.bands_x(n)), str(amm.bands_y(n))] for n in range(lo, hi + 1)}
        s["p_oracle_up"] = {str(n): str(amm.p_oracle_up(n)) for n in (lo, s["active_band"], hi)}
        users = {}
        for name, address in sorted(self.users.items()):
            if not amm.has_liquidity(address):
                continue
            ns, shares = self.user_ticks(address)
            xs, ys = amm.get_xy(address)
            sx, sy = amm.get_sum_xy(address)
            users[name] = {
                "n1": ns[0], "n2": ns[1], "shares": [str(v) for v in shares],
                "sum_x": str(sx), "sum_y": str(sy),
                "per_band_x": [str(v) for v in xs], "per_band_y": [str(v) for v in ys],
                "x_down": str(amm.get_x_down(address)), "y_up": str(amm.get_y_up(address)),
            }
        s["users"] = users
        return s


MOCK_FACTORY = """
# pragma version 0.4.3
stablecoin: public(address)
admin: public(address)
fee_receiver: public(address)

@deploy
def __init__(stablecoin: address):
    self.stablecoin = stablecoin
    self.admin = msg.sender
    self.fee_receiver = msg.sender
"""

MOCK_MONETARY_POLICY = """
# pragma version 0.4.3
rate: public(uint256)

@external
def set_rate(rate: uint256):
    self.rate = rate

@external
def rate_write() -> uint256:
    return self.rate
"""


class LoanMarket(Market):
    """The AMM with its version's Controller as admin, a mock factory (`stablecoin()` = the borrowed
    token, the Controller's deployer), a mock monetary policy (a settable rate) and a liquidator.
    classic: crvUSD's contracts/Controller.vy (vyper 0.3.10, bytecode deployed raw). head: the LlamaLend
    V2 core curve_stablecoin/controller.vy (what MintController.vy wraps, with the factory's stablecoin
    as the borrowed token) deployed with a blueprint of curve_stablecoin/ControllerView.vy (its
    max_borrowable) and no configurator."""

    def __init__(self, version, sources, A, base_price, fee, oracle_price, loan_discount, liquidation_discount):
        super().__init__(version, sources, A, base_price, fee, oracle_price, admin_is_deployer=False)
        self.liquidator = boa.env.generate_address("liquidator")
        with boa.env.prank(self.admin):
            self.factory = boa.loads(MOCK_FACTORY, self.borrowed.address, name="Factory")
            self.policy = boa.loads(MOCK_MONETARY_POLICY, name="MonetaryPolicy")
        if version == "classic":
            bytecode, abi = sources["classic_controller"]
            types = ["address", "address", "uint256", "uint256", "address"]
            initcode = bytecode + abi_encode(types, [self.collateral.address, self.policy.address, loan_discount, liquidation_discount, self.amm.address])
            with boa.env.prank(self.factory.address):
                address, _ = boa.env.deploy_code(bytecode=initcode)
            self.controller = boa.loads_abi(json.dumps(abi), name="Controller_classic").at(address)
        else:
            with boa.env.prank(self.admin):
                view_blueprint = boa.load_partial(sources["head_controller_view"]).deploy_as_blueprint()
            with boa.env.prank(self.factory.address):
                self.controller = boa.load_partial(sources["head_controller"]).deploy(
                    self.collateral.address, self.borrowed.address, self.policy.address, loan_discount, liquidation_discount,
                    self.amm.address, view_blueprint.address, "0x0000000000000000000000000000000000000000")
        with boa.env.prank(self.admin):
            self.amm.set_admin(self.controller.address)
            self.borrowed.mint(self.controller.address, 10**30)
            self.borrowed.mint(self.liquidator, 10**40)
        with boa.env.prank(self.liquidator):
            self.borrowed.approve(self.controller.address, 2**256 - 1)
        self.params.update({"loan_discount": dec(loan_discount), "liquidation_discount": dec(liquidation_discount)})

    def user(self, name):
        if name not in self.users:
            address = boa.env.generate_address(name)
            self.users[name] = address
            with boa.env.prank(self.admin):
                self.collateral.mint(address, 10**30)
                self.borrowed.mint(address, 10**30)
            with boa.env.prank(address):
                self.collateral.approve(self.controller.address, 2**256 - 1)
                self.borrowed.approve(self.controller.address, 2**256 - 1)
        return self.users[name]

    def create_loan(self, name, collateral, debt, n):
        address = self.user(name)
        limit = self.controller.max_borrowable(collateral, n) if 4 <= n <= 50 else None
        with boa.env.prank(address):
            self.controller.create_loan(collateral, debt, n)
        ns = self.amm.read_user_tick_numbers(address)
        self.touched.update(range(ns[0], ns[1] + 1))
        return {"max_borrowable": str(limit)}

    def repay(self, name, amount):
        address = self.user(name)
        with boa.env.prank(address):
            self.controller.repay(amount)
        if self.amm.has_liquidity(address):
            ns = self.amm.read_user_tick_numbers(address)
            self.touched.update(range(ns[0], ns[1] + 1))
        return None

    def liquidate(self, name, frac):
        address = self.user(name)
        try:  # asked first (on the state before), but a refusal is liquidate's own reason
            needed = self.controller.tokens_to_liquidate(address, frac)
        except Exception:
            needed = None
        with boa.env.prank(self.liquidator):
            if self.version == "classic":
                self.controller.liquidate_extended(address, 0, frac, "0x0000000000000000000000000000000000000000", [])
            else:
                self.controller.liquidate(address, 0, frac)
        return {"tokens_to_liquidate": str(needed)}

    def set_rate(self, rate):
        self.policy.set_rate(rate)
        self.controller.save_rate()
        return None

    def state(self):
        s = super().state()
        c = self.controller
        loans = {}
        for name, address in sorted(self.users.items()):
            if not c.loan_exists(address):
                continue
            loans[name] = {"debt": str(c.debt(address)), "health": str(c.health(address, False)),
                           "health_full": str(c.health(address, True)),
                           "liquidation_discount": str(c.liquidation_discounts(address)),
                           "n1_n2": list(self.amm.read_user_tick_numbers(address))}
        s["loans"] = loans
        s["total_debt"] = str(c.total_debt())
        s["n_loans"] = c.n_loans()
        s["rate"] = str(self.amm.rate())
        if self.version == "head":
            # Interest set aside for the admin (admin_percentage = 100 % at deployment), and the running totals.
            s["controller_admin_fees"] = str(c.admin_fees())
            s["minted"] = str(c.minted())
            s["redeemed"] = str(c.redeemed())
        return s


class Recorder:
    """Plays operations on a market and keeps, for each, the replay line and the contract's state or revert."""

    def __init__(self, market, name, about):
        self.market = market
        self.name = name
        self.about = about
        self.steps = []
        self.now = T0
        p = market.params
        first = {"op": "amm", "A": p["A"], "base_price": p["base_price"], "fee": p["fee"],
                 "admin_fee": p["admin_fee"], "oracle_price": p["oracle_price"], "ts": p["ts"]}
        for key in ("loan_discount", "liquidation_discount"):
            if key in p:
                first[key] = p[key]
        self.steps.append({"op": first, "state": market.state()})

    def advance(self, seconds):
        self.now += seconds
        boa.env.timestamp = self.now

    def play(self, op, action):
        op = dict(op)
        op["ts"] = self.now * 1000
        before = self.market.state()
        try:
            result = action()
        except Exception as error:  # boa raises BoaError for reverts
            reason = revert_reason(error)
            after = self.market.state()
            assert after == before, f"revert changed state in {self.name}: {op}"
            self.steps.append({"op": op, "revert": reason})
            return None
        state = self.market.state()
        if result:
            state.update(result)
        self.steps.append({"op": op, "state": state})
        return result

    # Convenience wrappers in the replay's vocabulary (amounts in wei).
    def deposit(self, user, amount, n1, n2):
        return self.play({"op": "deposit", "user": user, "amount": dec(amount), "n1": n1, "n2": n2},
                         lambda: self.market.deposit(user, amount, n1, n2))

    def withdraw(self, user, frac):
        return self.play({"op": "withdraw", "user": user, "frac": dec(frac)}, lambda: self.market.withdraw(user, frac))

    def oracle(self, price):
        return self.play({"op": "oracle", "price": dec(price)}, lambda: self.market.set_oracle(price))

    def exchange(self, i, j, amount):
        return self.play({"op": "exchange", "i": i, "j": j, "amount": dec(amount)}, lambda: self.market.exchange(i, j, amount))

    def amount_for_price(self, price):
        return self.play({"op": "amount_for_price", "price": dec(price)}, lambda: self.market.amount_for_price(price))

    def create_loan(self, user, collateral, debt, n):
        return self.play({"op": "create_loan", "user": user, "collateral": dec(collateral), "debt": dec(debt), "n": n},
                         lambda: self.market.create_loan(user, collateral, debt, n))

    def repay(self, user, amount):
        return self.play({"op": "repay", "user": user, "amount": dec(amount)}, lambda: self.market.repay(user, amount))

    def liquidate(self, user, frac):
        return self.play({"op": "liquidate", "user": user, "frac": dec(frac)}, lambda: self.market.liquidate(user, frac))

    def rate(self, rate):
        return self.play({"op": "rate", "rate": dec(rate)}, lambda: self.market.set_rate(rate))

    def arb_to_oracle(self):
        """Trades the AMM to the oracle price: the amount from get_amount_for_price, in its direction."""
        target = self.market.amm.price_oracle()
        result = self.amount_for_price(target)
        if result and int(result["amount_for_price"]) > 0:
            i, j = (0, 1) if result["pump"] else (1, 0)
            self.exchange(i, j, int(result["amount_for_price"]))

    def document(self, sources):
        key = f"{self.market.version}-loans" if isinstance(self.market, LoanMarket) else self.market.version
        return {"about": self.about, "version": self.market.version, "contract": sources["describe"][key],
                "params": self.market.params, "steps": self.steps}


def revert_reason(error):
    """The contract's revert reason: its Error(string), else the `# dev:` comment boa finds at the failing
    line, else a known reason in boa's text (raw bytecode has no source), else "revert"."""
    frame = getattr(getattr(error, "stack_trace", None), "last_frame", None)
    vm_error = getattr(frame, "vm_error", None)
    if vm_error is not None and vm_error.args and isinstance(vm_error.args[0], bytes) and vm_error.args[0][:4] == b"\x08\xc3y\xa0":
        return abi_decode(["string"], vm_error.args[0][4:])[0]
    dev = getattr(frame, "dev_reason", None)
    if dev is not None and dev.reason_type == "dev":
        return "dev: " + dev.reason_str
    text = str(error)
    for reason in ("Deposit below current band", "Band not empty", "Amount too low", "No deposits", "Wrong index", "Slippage",
                   "Debt too high", "Need more ticks", "Need less ticks", "Loan already created", "Not enough rekt", "Loan doesn't exist", "No loan",
                   "The action ends with unhealthy state", "frac>100%"):
        if reason in text:
            return reason
    if "dev: " in text:
        return "dev: " + text.split("dev: ", 1)[1].split("\n")[0].strip()
    return "revert"


def scenario_steps(market):
    """contract-steps-0-8 carried further: down to 2700, back up past the bands (de-liquidation to dust),
    the oracle-change fee and the ±25 % limit, a partial fill through empty bands, a 50 % withdrawal,
    and the contract's refusals."""
    r = Recorder(market, "steps", "contract-steps-0-8 continued: de-liquidation to dust, oracle-change fee, the 25 % limit, a partial fill through empty bands, a 50 % withdrawal, refusals")
    r.deposit("u1", 10 * WAD, 5, 14)
    for price in (2900, 2800, 2750, 2700, 2800, 2950, 3100):
        r.advance(600)
        r.oracle(price * WAD)
        r.advance(600)
        r.arb_to_oracle()
    # Oracle-change fee: a new price 30 s after the last exchange, then an exchange inside the 120 s window.
    r.advance(30)
    r.oracle(2850 * WAD)
    r.advance(30)
    r.amount_for_price(2850 * WAD)
    r.exchange(0, 1, 1000 * WAD)
    # The 25 % limit: a 35 % drop within the window is cut to /1.25 with its fee.
    r.advance(10)
    r.oracle(1850 * WAD)
    r.advance(10)
    r.exchange(1, 0, WAD // 10)
    r.advance(600)
    r.oracle(2700 * WAD)
    r.advance(600)
    r.arb_to_oracle()
    # A second user far below with empty bands between: a dump walks through them, then a pump runs out.
    r.deposit("u2", 3 * WAD, 22, 25)
    r.advance(600)
    r.oracle(2300 * WAD)
    r.advance(600)
    r.exchange(1, 0, 30 * WAD)
    r.advance(600)
    r.oracle(3200 * WAD)
    r.advance(600)
    r.exchange(0, 1, 10**6 * WAD)
    r.advance(600)
    r.withdraw("u1", WAD // 2)
    # Refusals: each must leave the state as it was.
    r.deposit("u3", 0, 30, 33)
    r.deposit("u3", 5 * WAD, 0, 50)
    r.deposit("u1", WAD, 40, 43)
    r.withdraw("nobody", WAD)
    r.exchange(0, 0, WAD)
    r.advance(600)
    r.oracle(2600 * WAD)
    r.advance(600)
    r.arb_to_oracle()
    r.deposit("u4", WAD, 1, 4)
    r.deposit("u4", 500, 40, 44)
    r.withdraw("u2", WAD)
    r.withdraw("u1", WAD)
    return r


def scenario_loans(market):
    """The version's Controller on its AMM: loans at the borrow limit and below it, interest, a crash
    into soft liquidation with arbitrage, a partial repay out of and inside liquidation, health without
    and with the price above the bands, a partial and a full hard liquidation, and refusals. The head
    Controller then plays what only it has: a repay of nothing refused, a liquidation above 100 %
    refused, a partial repay inside soft liquidation, and a full repay paid partly by the borrowed coin
    the AMM holds for the loan (the rest from the wallet)."""
    about = {"classic": "classic Controller: max borrow, band placement, interest, soft liquidation, health, repay, partial and full liquidation, refusals",
             "head": "head (LlamaLend V2) Controller: the classic scenario, then a zero repay, a liquidation above 100 %, a repay inside soft liquidation and a full repay from the AMM's borrowed coin"}
    r = Recorder(market, "loans", about[market.version])
    limit = market.controller.max_borrowable(10 * WAD, 10)
    r.create_loan("alice", 10 * WAD, limit, 10)                    # at the limit
    r.create_loan("bob", 5 * WAD, 6000 * WAD, 4)
    r.create_loan("carol", 20 * WAD, 30000 * WAD, 25)
    r.rate(3170979198)                                              # about 10 % a year, per second
    # Refusals: each must leave the state as it was.
    r.create_loan("dave", WAD, 10**6 * WAD, 10)                     # debt too high
    r.create_loan("dave", WAD, 100 * WAD, 3)                        # need more ticks
    r.create_loan("dave", WAD, 100 * WAD, 51)                       # need less ticks
    r.create_loan("bob", WAD, 100 * WAD, 10)                        # loan already created
    r.repay("dave", WAD)                                            # no loan
    r.liquidate("bob", WAD)                                         # healthy: not enough rekt
    def move(price, arbitrage=True):
        r.advance(3600)
        r.oracle(price * WAD)
        if arbitrage:
            r.advance(600)
            r.arb_to_oracle()
    for price in (2950, 2850):
        move(price)                                                 # alice's bands convert
    r.repay("carol", 5000 * WAD)                                    # not in liquidation: bands move
    move(2750, arbitrage=False)                                     # alice below the liquidation line
    r.liquidate("alice", 3 * 10**17)                                # 30 %
    r.advance(600)
    r.arb_to_oracle()
    r.repay("alice", 500 * WAD)                                     # inside liquidation: bands stay
    move(2650, arbitrage=False)
    r.liquidate("alice", WAD)                                       # the rest
    for price in (2300, 1900, 1500):
        move(price)
    move(1200, arbitrage=False)                                     # a crash the arbitrage has not followed
    r.liquidate("bob", WAD)
    r.liquidate("carol", WAD // 2)
    for price in (1600, 2200, 3100):
        move(price)
    r.liquidate("alice", WAD)                                       # still below the line after the rebound
    r.advance(86400)
    r.repay("carol", 2**256 - 1)                                    # full repay returns the collateral
    if market.version == "head":
        head_loan_steps(r, move)
    return r


def head_loan_steps(r, move):
    """What only the head Controller does: repay(0) reverts (nothing to repay), liquidate above 100 %
    reverts, a partial repay inside soft liquidation keeps the bands but must end healthy, and a repay
    whose wallet part plus the loan's borrowed coin in the AMM covers the debt closes the loan."""
    market = r.market
    r.create_loan("erin", 10 * WAD, 20000 * WAD, 6)
    r.repay("erin", 0)                                              # dev: no coins to repay
    ns = market.amm.read_user_tick_numbers(market.user("erin"))
    target = (market.amm.p_oracle_up(ns[0]) + market.amm.p_oracle_down(ns[0] + 2)) // 2
    r.advance(3600)
    r.oracle(target)
    r.advance(600)
    r.arb_to_oracle()                                               # erin's top bands convert
    r.repay("erin", 100 * WAD)                                      # inside soft liquidation: bands stay
    move(1000, arbitrage=False)
    r.liquidate("erin", 2 * WAD)                                    # frac>100%
    r.advance(600)
    r.oracle(target)
    r.advance(600)
    r.arb_to_oracle()
    erin = market.user("erin")
    wallet = market.controller.debt(erin) - market.amm.get_sum_xy(erin)[0] + WAD
    r.repay("erin", wallet)                                         # the AMM's borrowed coin pays the rest


def scenario_random(market, seed, steps):
    """Several users, oracle random walk, arbitrage and random exchanges both ways, partial withdrawals."""
    rng = random.Random(seed)
    r = Recorder(market, f"random-{seed}", f"randomised sequence, seed {seed}: deposits, oracle moves, exchanges both ways, withdrawals over several users")
    users = [f"u{k}" for k in range(1, 5)]
    price = 3000 * WAD
    for _ in range(steps):
        r.advance(rng.choice([5, 30, 90, 150, 600, 1800]))
        kind = rng.random()
        active = market.amm.active_band()
        if kind < 0.22:
            user = rng.choice(users)
            n1 = active + rng.randint(1, 8)
            width = rng.randint(4, 12)
            amount = rng.randint(WAD // 10, 20 * WAD)
            r.deposit(user, amount, n1, n1 + width - 1)
        elif kind < 0.47:
            price = max(price * rng.randint(9300, 10700) // 10000, 100 * WAD)
            r.oracle(price)
        elif kind < 0.65:
            r.arb_to_oracle()
        elif kind < 0.85:
            if rng.random() < 0.5:
                r.exchange(0, 1, rng.randint(1, 5000) * WAD // rng.choice([1, 7, 1000]))
            else:
                r.exchange(1, 0, rng.randint(1, 2 * WAD))
        else:
            user = rng.choice(users)
            frac = rng.choice([WAD, WAD // 2, rng.randint(1, WAD)])
            r.withdraw(user, frac)
    return r


def prepare_sources(args, work):
    classic_src = git_show(args.stablecoin_git, CLASSIC_COMMIT, "contracts/AMM.vy")
    classic_path = work / "classic" / "AMM.vy"
    classic_path.parent.mkdir(parents=True)
    classic_path.write_bytes(classic_src)
    out = subprocess.run([args.vyper0310, "-f", "bytecode,abi", str(classic_path)], check=True, capture_output=True, text=True).stdout.splitlines()
    bytecode = bytes.fromhex(out[0].strip().removeprefix("0x"))
    abi = json.loads(out[1])
    head_root = work / "head"
    interfaces = subprocess.run(["git", "--git-dir", args.stablecoin_git, "ls-tree", "--name-only", f"{HEAD_COMMIT}:curve_stablecoin/interfaces"],
                                check=True, capture_output=True, text=True).stdout.split()
    for path in ["curve_stablecoin/AMM.vy", "curve_stablecoin/controller.vy", "curve_stablecoin/ControllerView.vy", "curve_stablecoin/constants.vy"] + [
            f"curve_stablecoin/interfaces/{name}" for name in interfaces]:
        target = head_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git_show(args.stablecoin_git, HEAD_COMMIT, path))
    # curve-std installs its contracts/ folder as the package curve_std; the AMM names its math module crv_math.
    for path, name in [("contracts/token.vy", "token.vy"), ("contracts/math.vy", "crv_math.vy"), ("contracts/interfaces/IERC20.vyi", "interfaces/IERC20.vyi")]:
        target = head_root / "curve_std" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git_show(args.std_git, STD_COMMIT, path))
    import boa.interpret
    import snekmate
    boa.interpret.set_search_paths([str(head_root), str(Path(list(snekmate.__path__)[0]).parent)])
    controller_path = work / "classic" / "Controller.vy"
    controller_path.write_bytes(git_show(args.stablecoin_git, CLASSIC_COMMIT, "contracts/Controller.vy"))
    out = subprocess.run([args.vyper0310, "-f", "bytecode,abi", str(controller_path)], check=True, capture_output=True, text=True).stdout.splitlines()
    controller = (bytes.fromhex(out[0].strip().removeprefix("0x")), json.loads(out[1]))
    vyper_classic = subprocess.run([args.vyper0310, "--version"], capture_output=True, text=True).stdout.strip()
    import vyper
    return {
        "classic": (bytecode, abi),
        "classic_controller": controller,
        "head": str(head_root / "curve_stablecoin" / "AMM.vy"),
        "head_controller": str(head_root / "curve_stablecoin" / "controller.vy"),
        "head_controller_view": str(head_root / "curve_stablecoin" / "ControllerView.vy"),
        "describe": {
            "classic": {"repository": "curvefi/curve-stablecoin", "commit": CLASSIC_COMMIT, "path": "contracts/AMM.vy", "vyper": vyper_classic},
            "classic-loans": {"repository": "curvefi/curve-stablecoin", "commit": CLASSIC_COMMIT, "path": "contracts/AMM.vy, contracts/Controller.vy", "vyper": vyper_classic},
            "head": {"repository": "curvefi/curve-stablecoin", "commit": HEAD_COMMIT, "path": "curve_stablecoin/AMM.vy", "vyper": vyper.__version__,
                     "snekmate": snekmate_version(), "curve_std": STD_COMMIT},
            "head-loans": {"repository": "curvefi/curve-stablecoin", "commit": HEAD_COMMIT,
                           "path": "curve_stablecoin/AMM.vy, curve_stablecoin/controller.vy, curve_stablecoin/ControllerView.vy",
                           "vyper": vyper.__version__, "snekmate": snekmate_version(), "curve_std": STD_COMMIT},
        },
    }


def snekmate_version():
    from importlib.metadata import version
    return version("snekmate")


def new_market(version, sources):
    return Market(version, sources, A=100, base_price=3000 * WAD, fee=6 * 10**15, oracle_price=3000 * WAD)


def bench(sources, rounds):
    """Times one exchange that crosses 10 bands (the AMM all in collateral over bands 1..10, pumped through them)."""
    results = {}
    for version in ("classic", "head"):
        boa.reset_env()
        market = new_market(version, sources)
        with boa.env.prank(market.admin):
            market.amm.deposit_range(market.user("u1"), 10 * WAD, 1, 10)
            market.collateral.mint(market.amm.address, 10 * WAD)
        boa.env.timestamp = T0 + 600
        market.oracle.set_price(2700 * WAD)
        boa.env.timestamp = T0 + 1200
        amount = 40_000 * WAD
        durations = []
        for _ in range(rounds):
            with boa.env.anchor():
                start = time.perf_counter()
                with boa.env.prank(market.trader):
                    done = market.amm.exchange(0, 1, amount, 0)
                durations.append(time.perf_counter() - start)
        with boa.env.anchor():
            with boa.env.prank(market.trader):
                market.amm.exchange(0, 1, amount, 0)
            band = market.amm.active_band()
        durations.sort()
        results[version] = {"median_s": durations[len(durations) // 2], "min_s": durations[0], "rounds": rounds,
                            "in_out": [str(done[0]), str(done[1])], "active_band_after": band}
    print(json.dumps(results, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stablecoin-git", required=True, help="git directory of curvefi/curve-stablecoin (bare is fine)")
    parser.add_argument("--std-git", required=True, help="git directory of curvefi/curve-std")
    parser.add_argument("--vyper0310", required=True, help="the vyper 0.3.10 executable (pip install vyper==0.3.10 in its own venv)")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "Tests/LeewayBandsTests/Fixtures/exact"))
    parser.add_argument("--versions", default="classic,head")
    parser.add_argument("--random-seeds", default="1,2")
    parser.add_argument("--random-steps", type=int, default=60)
    parser.add_argument("--loans-only", action="store_true", help="record only the Controller scenarios (<version>-loans.json)")
    parser.add_argument("--bench", type=int, metavar="ROUNDS", help="time the 10-band exchange ROUNDS times instead of recording")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sources = prepare_sources(args, Path(tmp))
        if args.bench:
            bench(sources, args.bench)
            return
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        boa.reset_env()
        for version in args.versions.split(","):
            boa.reset_env()
            recorder = scenario_loans(LoanMarket(version, sources, A=100, base_price=3000 * WAD, fee=6 * 10**15, oracle_price=3000 * WAD,
                                                 loan_discount=9 * 10**16, liquidation_discount=6 * 10**16))
            path = out / f"{version}-loans.json"
            path.write_text(json.dumps(recorder.document(sources), indent=1) + "\n")
            print(f"wrote {path} ({len(recorder.steps)} steps)", file=sys.stderr)
        if args.loans_only:
            return
        for version in args.versions.split(","):
            runs = [lambda m: scenario_steps(m)] + [lambda m, s=int(s): scenario_random(m, s, args.random_steps) for s in args.random_seeds.split(",")]
            for run in runs:
                boa.reset_env()
                recorder = run(new_market(version, sources))
                path = out / f"{version}-{recorder.name}.json"
                path.write_text(json.dumps(recorder.document(sources), indent=1) + "\n")
                print(f"wrote {path} ({len(recorder.steps)} steps)", file=sys.stderr)


if __name__ == "__main__":
    main()
