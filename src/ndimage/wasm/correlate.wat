;; One pass of scipy.ndimage's NI_Correlate1D / NI_UniformFilter1D over groups of lines, in
;; WebAssembly with SIMD (f64x2). tessera/ndimage keeps a filter's source and intermediate boxes in
;; this module's memory, so a pass never converts cells in JavaScript.
;;
;; For each group of `lanes` neighbouring lines (lanes = 1 for a line along the last axis):
;;   1. gather: copy the cells the pass reads into a float64 line buffer of rows × lanes, following
;;      "runs" prepared by the caller (buffer row, source row or −1 for cval, length), so boundary
;;      extension is only an index map;
;;   2. correlate: output q = row·lanes + lane reads cells q + (centre + j)·lanes. Two neighbouring
;;      outputs share one f64x2 vector, so every output sees exactly scipy's float64 operations in
;;      scipy's order (no fused multiply-add: plain WASM SIMD has none);
;;   3. store: convert to the target dtype as C's casts do on x86-64: float32 rounds to nearest,
;;      integers truncate toward zero and wrap (values outside int32, and NaN, become INT32_MIN
;;      first, what cvttsd2si returns), uint32 via a 64-bit conversion.
;;
;; Addresses and strides are in bytes. Dtype codes: 0 int8, 1 uint8, 2 int16, 3 uint16, 4 int32,
;; 5 uint32, 6 float32, 7 float64. Kernel kinds: 0 symmetric, 1 antisymmetric, 2 general, 3 uniform.
;; The per-dtype loops in $copyRows and $storeRows are identical apart from the load or store
;; (float32 also moves contiguous lanes two at a time).
;;
;; Regenerate the TypeScript module holding the binary with
;;   npx tsc -p tsconfig.json && node dist/src/ndimage/wasm/generate.js
(module
  (memory (export "memory") 1)

  ;; symmetric weights: out = x[0]·w0; then out += (x[−j] + x[+j])·w[−j] for j = r…1.
  ;; centre: address of the cell under output 0; weights: w0, then the pair weights from the
  ;; outermost pair inwards; radius: the number of pairs.
  (func $symmetric (param $centre i32) (param $out i32) (param $count i32) (param $lanes i32) (param $weights i32) (param $radius i32)
    (local $q i32) (local $c i32) (local $o i32) (local $d i32) (local $step i32) (local $wp i32) (local $lo i32) (local $hi i32)
    (local $w0 v128) (local $w v128) (local $s f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $step (i32.shl (local.get $lanes) (i32.const 3)))
    (local.set $w0 (f64x2.splat (f64.load (local.get $weights))))
    ;; sixteen outputs per iteration: eight independent f64x2 accumulators
    (block $end16
      (loop $loop16
        (br_if $end16 (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $count)))
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $a0 (f64x2.mul (v128.load offset=0 (local.get $c)) (local.get $w0)))
        (local.set $a1 (f64x2.mul (v128.load offset=16 (local.get $c)) (local.get $w0)))
        (local.set $a2 (f64x2.mul (v128.load offset=32 (local.get $c)) (local.get $w0)))
        (local.set $a3 (f64x2.mul (v128.load offset=48 (local.get $c)) (local.get $w0)))
        (local.set $a4 (f64x2.mul (v128.load offset=64 (local.get $c)) (local.get $w0)))
        (local.set $a5 (f64x2.mul (v128.load offset=80 (local.get $c)) (local.get $w0)))
        (local.set $a6 (f64x2.mul (v128.load offset=96 (local.get $c)) (local.get $w0)))
        (local.set $a7 (f64x2.mul (v128.load offset=112 (local.get $c)) (local.get $w0)))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.eqz (local.get $d)))
            (local.set $w (f64x2.splat (f64.load (local.get $wp))))
            (local.set $lo (i32.sub (local.get $c) (local.get $d)))
            (local.set $hi (i32.add (local.get $c) (local.get $d)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (f64x2.add (v128.load offset=0 (local.get $lo)) (v128.load offset=0 (local.get $hi))) (local.get $w))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (f64x2.add (v128.load offset=16 (local.get $lo)) (v128.load offset=16 (local.get $hi))) (local.get $w))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (f64x2.add (v128.load offset=32 (local.get $lo)) (v128.load offset=32 (local.get $hi))) (local.get $w))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (f64x2.add (v128.load offset=48 (local.get $lo)) (v128.load offset=48 (local.get $hi))) (local.get $w))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (f64x2.add (v128.load offset=64 (local.get $lo)) (v128.load offset=64 (local.get $hi))) (local.get $w))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (f64x2.add (v128.load offset=80 (local.get $lo)) (v128.load offset=80 (local.get $hi))) (local.get $w))))
            (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (f64x2.add (v128.load offset=96 (local.get $lo)) (v128.load offset=96 (local.get $hi))) (local.get $w))))
            (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (f64x2.add (v128.load offset=112 (local.get $lo)) (v128.load offset=112 (local.get $hi))) (local.get $w))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))))
        (v128.store offset=0 (local.get $o) (local.get $a0))
        (v128.store offset=16 (local.get $o) (local.get $a1))
        (v128.store offset=32 (local.get $o) (local.get $a2))
        (v128.store offset=48 (local.get $o) (local.get $a3))
        (v128.store offset=64 (local.get $o) (local.get $a4))
        (v128.store offset=80 (local.get $o) (local.get $a5))
        (v128.store offset=96 (local.get $o) (local.get $a6))
        (v128.store offset=112 (local.get $o) (local.get $a7))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $loop16)))
    ;; two outputs per iteration
    (block $end2
      (loop $loop2
        (br_if $end2 (i32.gt_u (i32.add (local.get $q) (i32.const 2)) (local.get $count)))
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $a0 (f64x2.mul (v128.load (local.get $c)) (local.get $w0)))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $taps2Done
          (loop $taps2
            (br_if $taps2Done (i32.eqz (local.get $d)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul
                (f64x2.add (v128.load (i32.sub (local.get $c) (local.get $d))) (v128.load (i32.add (local.get $c) (local.get $d))))
                (f64x2.splat (f64.load (local.get $wp))))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps2)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $a0))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $loop2)))
    ;; the last output when count is odd
    (if (i32.lt_u (local.get $q) (local.get $count))
      (then
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $s (f64.mul (f64.load (local.get $c)) (f64.load (local.get $weights))))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $taps1Done
          (loop $taps1
            (br_if $taps1Done (i32.eqz (local.get $d)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul
                (f64.add (f64.load (i32.sub (local.get $c) (local.get $d))) (f64.load (i32.add (local.get $c) (local.get $d))))
                (f64.load (local.get $wp)))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps1)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $s)))))

  ;; antisymmetric weights: out = x[0]·w0; then out += (x[−j] − x[+j])·w[−j] for j = r…1.
  (func $antisymmetric (param $centre i32) (param $out i32) (param $count i32) (param $lanes i32) (param $weights i32) (param $radius i32)
    (local $q i32) (local $c i32) (local $o i32) (local $d i32) (local $step i32) (local $wp i32) (local $lo i32) (local $hi i32)
    (local $w0 v128) (local $w v128) (local $s f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $step (i32.shl (local.get $lanes) (i32.const 3)))
    (local.set $w0 (f64x2.splat (f64.load (local.get $weights))))
    ;; sixteen outputs per iteration: eight independent f64x2 accumulators
    (block $end16
      (loop $loop16
        (br_if $end16 (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $count)))
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $a0 (f64x2.mul (v128.load offset=0 (local.get $c)) (local.get $w0)))
        (local.set $a1 (f64x2.mul (v128.load offset=16 (local.get $c)) (local.get $w0)))
        (local.set $a2 (f64x2.mul (v128.load offset=32 (local.get $c)) (local.get $w0)))
        (local.set $a3 (f64x2.mul (v128.load offset=48 (local.get $c)) (local.get $w0)))
        (local.set $a4 (f64x2.mul (v128.load offset=64 (local.get $c)) (local.get $w0)))
        (local.set $a5 (f64x2.mul (v128.load offset=80 (local.get $c)) (local.get $w0)))
        (local.set $a6 (f64x2.mul (v128.load offset=96 (local.get $c)) (local.get $w0)))
        (local.set $a7 (f64x2.mul (v128.load offset=112 (local.get $c)) (local.get $w0)))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.eqz (local.get $d)))
            (local.set $w (f64x2.splat (f64.load (local.get $wp))))
            (local.set $lo (i32.sub (local.get $c) (local.get $d)))
            (local.set $hi (i32.add (local.get $c) (local.get $d)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (f64x2.sub (v128.load offset=0 (local.get $lo)) (v128.load offset=0 (local.get $hi))) (local.get $w))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (f64x2.sub (v128.load offset=16 (local.get $lo)) (v128.load offset=16 (local.get $hi))) (local.get $w))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (f64x2.sub (v128.load offset=32 (local.get $lo)) (v128.load offset=32 (local.get $hi))) (local.get $w))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (f64x2.sub (v128.load offset=48 (local.get $lo)) (v128.load offset=48 (local.get $hi))) (local.get $w))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (f64x2.sub (v128.load offset=64 (local.get $lo)) (v128.load offset=64 (local.get $hi))) (local.get $w))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (f64x2.sub (v128.load offset=80 (local.get $lo)) (v128.load offset=80 (local.get $hi))) (local.get $w))))
            (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (f64x2.sub (v128.load offset=96 (local.get $lo)) (v128.load offset=96 (local.get $hi))) (local.get $w))))
            (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (f64x2.sub (v128.load offset=112 (local.get $lo)) (v128.load offset=112 (local.get $hi))) (local.get $w))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))))
        (v128.store offset=0 (local.get $o) (local.get $a0))
        (v128.store offset=16 (local.get $o) (local.get $a1))
        (v128.store offset=32 (local.get $o) (local.get $a2))
        (v128.store offset=48 (local.get $o) (local.get $a3))
        (v128.store offset=64 (local.get $o) (local.get $a4))
        (v128.store offset=80 (local.get $o) (local.get $a5))
        (v128.store offset=96 (local.get $o) (local.get $a6))
        (v128.store offset=112 (local.get $o) (local.get $a7))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $loop16)))
    ;; two outputs per iteration
    (block $end2
      (loop $loop2
        (br_if $end2 (i32.gt_u (i32.add (local.get $q) (i32.const 2)) (local.get $count)))
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $a0 (f64x2.mul (v128.load (local.get $c)) (local.get $w0)))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $taps2Done
          (loop $taps2
            (br_if $taps2Done (i32.eqz (local.get $d)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul
                (f64x2.sub (v128.load (i32.sub (local.get $c) (local.get $d))) (v128.load (i32.add (local.get $c) (local.get $d))))
                (f64x2.splat (f64.load (local.get $wp))))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps2)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $a0))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $loop2)))
    ;; the last output when count is odd
    (if (i32.lt_u (local.get $q) (local.get $count))
      (then
        (local.set $c (i32.add (local.get $centre) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $s (f64.mul (f64.load (local.get $c)) (f64.load (local.get $weights))))
        (local.set $d (i32.mul (local.get $radius) (local.get $step)))
        (local.set $wp (i32.add (local.get $weights) (i32.const 8)))
        (block $taps1Done
          (loop $taps1
            (br_if $taps1Done (i32.eqz (local.get $d)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul
                (f64.sub (f64.load (i32.sub (local.get $c) (local.get $d))) (f64.load (i32.add (local.get $c) (local.get $d))))
                (f64.load (local.get $wp)))))
            (local.set $d (i32.sub (local.get $d) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (br $taps1)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $s)))))

  ;; general weights: out = x[last]·w[last]; then out += x[t]·w[t] for t = 0…last−1.
  ;; first: address of tap 0's cell for output 0; weights in tap order.
  (func $general (param $first i32) (param $out i32) (param $count i32) (param $lanes i32) (param $weights i32) (param $taps i32)
    (local $q i32) (local $c i32) (local $step i32) (local $lastOffset i32) (local $t i32) (local $p i32) (local $wp i32)
    (local $wl v128) (local $a0 v128) (local $a1 v128) (local $w v128) (local $s f64)
    (local.set $step (i32.shl (local.get $lanes) (i32.const 3)))
    (local.set $lastOffset (i32.mul (i32.sub (local.get $taps) (i32.const 1)) (local.get $step)))
    (local.set $wl (f64x2.splat (f64.load (i32.add (local.get $weights) (i32.shl (i32.sub (local.get $taps) (i32.const 1)) (i32.const 3))))))
    ;; four outputs per iteration
    (block $end4
      (loop $loop4
        (br_if $end4 (i32.gt_u (i32.add (local.get $q) (i32.const 4)) (local.get $count)))
        (local.set $c (i32.add (local.get $first) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $a0 (f64x2.mul (v128.load (i32.add (local.get $c) (local.get $lastOffset))) (local.get $wl)))
        (local.set $a1 (f64x2.mul (v128.load offset=16 (i32.add (local.get $c) (local.get $lastOffset))) (local.get $wl)))
        (local.set $t (i32.const 1))
        (local.set $p (local.get $c))
        (local.set $wp (local.get $weights))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.ge_u (local.get $t) (local.get $taps)))
            (local.set $w (f64x2.splat (f64.load (local.get $wp))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $p)) (local.get $w))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $w))))
            (local.set $p (i32.add (local.get $p) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $taps)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $a1))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $loop4)))
    ;; remaining outputs one at a time
    (block $end1
      (loop $loop1
        (br_if $end1 (i32.ge_u (local.get $q) (local.get $count)))
        (local.set $c (i32.add (local.get $first) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $s (f64.mul (f64.load (i32.add (local.get $c) (local.get $lastOffset))) (f64x2.extract_lane 0 (local.get $wl))))
        (local.set $t (i32.const 1))
        (local.set $p (local.get $c))
        (local.set $wp (local.get $weights))
        (block $taps1Done
          (loop $taps1
            (br_if $taps1Done (i32.ge_u (local.get $t) (local.get $taps)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $wp)))))
            (local.set $p (i32.add (local.get $p) (local.get $step)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $taps1)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))) (local.get $s))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $loop1))))

  ;; running sums, one per lane: t = Σ the first `size` rows; out = t / size; then
  ;; t += row[i − 1 + size] − row[i − 1] and out = t / size. Lanes are independent.
  (func $uniform (param $first i32) (param $out i32) (param $rows i32) (param $lanes i32) (param $sums i32) (param $size i32)
    (local $i i32) (local $t i32) (local $p i32) (local $step i32) (local $sizef f64) (local $leaving i32) (local $entering i32) (local $o i32)
    (local.set $step (i32.shl (local.get $lanes) (i32.const 3)))
    (local.set $sizef (f64.convert_i32_u (local.get $size)))
    (local.set $t (i32.const 0))
    (loop $zero
      (f64.store (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3))) (f64.const 0))
      (br_if $zero (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
    (local.set $p (local.get $first))
    (loop $initial
      (local.set $t (i32.const 0))
      (loop $initialLanes
        (f64.store (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3)))
          (f64.add (f64.load (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3))))
                   (f64.load (i32.add (local.get $p) (i32.shl (local.get $t) (i32.const 3))))))
        (br_if $initialLanes (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
      (local.set $p (i32.add (local.get $p) (local.get $step)))
      (br_if $initial (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $size))))
    (local.set $i (i32.const 0))
    (local.set $leaving (local.get $first))
    (local.set $entering (i32.add (local.get $first) (i32.mul (local.get $size) (local.get $step))))
    (local.set $o (local.get $out))
    (loop $row
      (if (i32.gt_u (local.get $i) (i32.const 0))
        (then
          (local.set $t (i32.const 0))
          (loop $update
            (f64.store (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3)))
              (f64.add (f64.load (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3))))
                (f64.sub (f64.load (i32.add (local.get $entering) (i32.shl (local.get $t) (i32.const 3))))
                         (f64.load (i32.add (local.get $leaving) (i32.shl (local.get $t) (i32.const 3)))))))
            (br_if $update (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $leaving (i32.add (local.get $leaving) (local.get $step)))
          (local.set $entering (i32.add (local.get $entering) (local.get $step)))))
      (local.set $t (i32.const 0))
      (loop $emit
        (f64.store (i32.add (local.get $o) (i32.shl (local.get $t) (i32.const 3)))
          (f64.div (f64.load (i32.add (local.get $sums) (i32.shl (local.get $t) (i32.const 3)))) (local.get $sizef)))
        (br_if $emit (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
      (local.set $o (i32.add (local.get $o) (local.get $step)))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows)))))

  ;; Copies `count` source rows of `lanes` cells (any dtype) into consecutive float64 rows at $d.
  (func $copyRows (param $type i32) (param $from i32) (param $rowStride i32) (param $laneStride i32) (param $count i32) (param $lanes i32) (param $d i32)
    (local $r i32) (local $t i32) (local $s i32)
    (block $done
    (block $type7
    (block $type6
    (block $type5
    (block $type4
    (block $type3
    (block $type2
    (block $type1
    (block $type0
      (br_table $type0 $type1 $type2 $type3 $type4 $type5 $type6 $type7 $type7 (local.get $type)))
        ;; int8
        (loop $rows0
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes0
            (f64.store (local.get $d) (f64.convert_i32_s (i32.load8_s (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes0 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows0 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; uint8
        (loop $rows1
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes1
            (f64.store (local.get $d) (f64.convert_i32_u (i32.load8_u (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes1 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows1 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; int16
        (loop $rows2
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes2
            (f64.store (local.get $d) (f64.convert_i32_s (i32.load16_s (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes2 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows2 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; uint16
        (loop $rows3
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes3
            (f64.store (local.get $d) (f64.convert_i32_u (i32.load16_u (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes3 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows3 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; int32
        (loop $rows4
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes4
            (f64.store (local.get $d) (f64.convert_i32_s (i32.load (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes4 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows4 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; uint32
        (loop $rows5
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes5
            (f64.store (local.get $d) (f64.convert_i32_u (i32.load (local.get $s))))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes5 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows5 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; float32 (contiguous lanes two at a time)
        (loop $rows6
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (if (i32.eq (local.get $laneStride) (i32.const 4))
            (then
              (block $pairsDone6
                (loop $pairs6
                  (br_if $pairsDone6 (i32.gt_u (i32.add (local.get $t) (i32.const 2)) (local.get $lanes)))
                  (v128.store (local.get $d) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $s))))
                  (local.set $s (i32.add (local.get $s) (i32.const 8)))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (local.set $t (i32.add (local.get $t) (i32.const 2)))
                  (br $pairs6)))))
          (block $lanesDone6
            (loop $lanes6
              (br_if $lanesDone6 (i32.ge_u (local.get $t) (local.get $lanes)))
              (f64.store (local.get $d) (f64.promote_f32 (f32.load (local.get $s))))
              (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
              (local.set $d (i32.add (local.get $d) (i32.const 8)))
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              (br $lanes6)))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows6 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
        ;; float64
        (loop $rows7
          (local.set $s (local.get $from))
          (local.set $t (i32.const 0))
          (loop $lanes7
            (f64.store (local.get $d) (f64.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $laneStride)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br_if $lanes7 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $from (i32.add (local.get $from) (local.get $rowStride)))
          (br_if $rows7 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $count))))
        (br $done))
  )

  ;; Stores `rows` float64 rows of `lanes` cells from $s into the target dtype at $to.
  ;; Integers: C's (int)x on x86-64 (cvttsd2si) truncates, and gives INT32_MIN when x is out of
  ;; range or NaN; the store keeps the low 8, 16 or 32 bits. uint32: C's (unsigned int)x is a
  ;; 64-bit truncation (0 out of range) with the low 32 bits kept.
  (func $storeRows (param $type i32) (param $s i32) (param $rows i32) (param $lanes i32) (param $to i32) (param $rowStride i32) (param $laneStride i32)
    (local $r i32) (local $t i32) (local $d i32) (local $v f64)
    (block $done
    (block $type7
    (block $type6
    (block $type5
    (block $type4
    (block $type3
    (block $type2
    (block $type1
    (block $type0
      (br_table $type0 $type1 $type2 $type3 $type4 $type5 $type6 $type7 $type7 (local.get $type)))
        ;; int8
        (loop $rows0
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes0
            (i32.store8 (local.get $d) (select (i32.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s)))) (i32.const 0x80000000)
              (i32.and (f64.gt (local.get $v) (f64.const -2147483649)) (f64.lt (local.get $v) (f64.const 2147483648)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes0 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows0 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; uint8
        (loop $rows1
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes1
            (i32.store8 (local.get $d) (select (i32.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s)))) (i32.const 0x80000000)
              (i32.and (f64.gt (local.get $v) (f64.const -2147483649)) (f64.lt (local.get $v) (f64.const 2147483648)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes1 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows1 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; int16
        (loop $rows2
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes2
            (i32.store16 (local.get $d) (select (i32.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s)))) (i32.const 0x80000000)
              (i32.and (f64.gt (local.get $v) (f64.const -2147483649)) (f64.lt (local.get $v) (f64.const 2147483648)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes2 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows2 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; uint16
        (loop $rows3
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes3
            (i32.store16 (local.get $d) (select (i32.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s)))) (i32.const 0x80000000)
              (i32.and (f64.gt (local.get $v) (f64.const -2147483649)) (f64.lt (local.get $v) (f64.const 2147483648)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes3 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows3 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; int32
        (loop $rows4
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes4
            (i32.store (local.get $d) (select (i32.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s)))) (i32.const 0x80000000)
              (i32.and (f64.gt (local.get $v) (f64.const -2147483649)) (f64.lt (local.get $v) (f64.const 2147483648)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes4 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows4 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; uint32
        (loop $rows5
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes5
            (i32.store (local.get $d) (select (i32.wrap_i64 (i64.trunc_sat_f64_s (local.tee $v (f64.load (local.get $s))))) (i32.const 0)
              (i32.and (f64.gt (local.get $v) (f64.const -9223372036854775808)) (f64.lt (local.get $v) (f64.const 9223372036854775808)))))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes5 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows5 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; float32 (contiguous lanes two at a time; f32x4.demote rounds like f32.demote)
        (loop $rows6
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (if (i32.eq (local.get $laneStride) (i32.const 4))
            (then
              (block $pairsDone6
                (loop $pairs6
                  (br_if $pairsDone6 (i32.gt_u (i32.add (local.get $t) (i32.const 2)) (local.get $lanes)))
                  (v128.store64_lane 0 (local.get $d) (f32x4.demote_f64x2_zero (v128.load (local.get $s))))
                  (local.set $s (i32.add (local.get $s) (i32.const 16)))
                  (local.set $d (i32.add (local.get $d) (i32.const 8)))
                  (local.set $t (i32.add (local.get $t) (i32.const 2)))
                  (br $pairs6)))))
          (block $lanesDone6
            (loop $lanes6
              (br_if $lanesDone6 (i32.ge_u (local.get $t) (local.get $lanes)))
              (f32.store (local.get $d) (f32.demote_f64 (f64.load (local.get $s))))
              (local.set $s (i32.add (local.get $s) (i32.const 8)))
              (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
              (local.set $t (i32.add (local.get $t) (i32.const 1)))
              (br $lanes6)))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows6 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
        ;; float64
        (loop $rows7
          (local.set $d (local.get $to))
          (local.set $t (i32.const 0))
          (loop $lanes7
            (f64.store (local.get $d) (f64.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (i32.const 8)))
            (local.set $d (i32.add (local.get $d) (local.get $laneStride)))
            (br_if $lanes7 (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $lanes))))
          (local.set $to (i32.add (local.get $to) (local.get $rowStride)))
          (br_if $rows7 (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (br $done))
  )

  ;; One pass over `groups` groups of lines; group g reads at src + g·srcGroupStride and writes at
  ;; dst + g·dstGroupStride. `runs` holds `runCount` (buffer row, source row or −1, length, step)
  ;; quads: the run's buffer rows read source rows from, from + step, … (step −1, 0 or 1).
  ;; Rows before `skip` are computed (running sums need them) but not stored.
  (func (export "pass")
    (param $kind i32) (param $centreRow i32) (param $weights i32) (param $weightCount i32)
    (param $src i32) (param $srcType i32) (param $srcRowStride i32) (param $srcLaneStride i32) (param $srcGroupStride i32)
    (param $runs i32) (param $runCount i32) (param $cval f64)
    (param $lanes i32) (param $rows i32) (param $skip i32)
    (param $dst i32) (param $dstType i32) (param $dstRowStride i32) (param $dstLaneStride i32) (param $dstGroupStride i32)
    (param $groups i32) (param $buffer i32) (param $out i32) (param $sums i32)
    (local $g i32) (local $k i32) (local $row i32) (local $from i32) (local $length i32) (local $step i32) (local $d i32) (local $end i32)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $lanes) (i32.const 3)))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        ;; 1. gather
        (local.set $k (i32.const 0))
        (block $runsDone
          (loop $run
            (br_if $runsDone (i32.ge_u (local.get $k) (local.get $runCount)))
            (local.set $row (i32.load (i32.add (local.get $runs) (i32.shl (local.get $k) (i32.const 4)))))
            (local.set $from (i32.load offset=4 (i32.add (local.get $runs) (i32.shl (local.get $k) (i32.const 4)))))
            (local.set $length (i32.load offset=8 (i32.add (local.get $runs) (i32.shl (local.get $k) (i32.const 4)))))
            (local.set $step (i32.load offset=12 (i32.add (local.get $runs) (i32.shl (local.get $k) (i32.const 4)))))
            (local.set $d (i32.add (local.get $buffer) (i32.mul (local.get $row) (local.get $rowBytes))))
            (if (i32.lt_s (local.get $from) (i32.const 0))
              (then
                (local.set $end (i32.add (local.get $d) (i32.mul (local.get $length) (local.get $rowBytes))))
                (loop $fill
                  (f64.store (local.get $d) (local.get $cval))
                  (br_if $fill (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 8))) (local.get $end)))))
              (else
                (local.set $from (i32.add (i32.add (local.get $src) (i32.mul (local.get $g) (local.get $srcGroupStride)))
                                          (i32.mul (local.get $from) (local.get $srcRowStride))))
                (if (i32.eq (local.get $lanes) (i32.const 1))
                  (then ;; one line: copy the run as a single row, the line's cells as its lanes
                    (call $copyRows (local.get $srcType) (local.get $from) (i32.const 0)
                      (i32.mul (local.get $step) (local.get $srcRowStride)) (i32.const 1) (local.get $length) (local.get $d)))
                  (else
                    (call $copyRows (local.get $srcType) (local.get $from)
                      (i32.mul (local.get $step) (local.get $srcRowStride)) (local.get $srcLaneStride)
                      (local.get $length) (local.get $lanes) (local.get $d))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $run)))
        ;; 2. correlate
        (block $kernelDone
          (block $uniformCase
            (block $generalCase
              (block $antisymmetricCase
                (block $symmetricCase
                  (br_table $symmetricCase $antisymmetricCase $generalCase $uniformCase $kernelDone (local.get $kind)))
                (call $symmetric
                  (i32.add (local.get $buffer) (i32.mul (local.get $centreRow) (local.get $rowBytes)))
                  (local.get $out) (i32.mul (local.get $rows) (local.get $lanes)) (local.get $lanes)
                  (local.get $weights) (i32.sub (local.get $weightCount) (i32.const 1)))
                (br $kernelDone))
              (call $antisymmetric
                (i32.add (local.get $buffer) (i32.mul (local.get $centreRow) (local.get $rowBytes)))
                (local.get $out) (i32.mul (local.get $rows) (local.get $lanes)) (local.get $lanes)
                (local.get $weights) (i32.sub (local.get $weightCount) (i32.const 1)))
              (br $kernelDone))
            (call $general (local.get $buffer) (local.get $out) (i32.mul (local.get $rows) (local.get $lanes)) (local.get $lanes)
              (local.get $weights) (local.get $weightCount))
            (br $kernelDone))
          (call $uniform (local.get $buffer) (local.get $out) (local.get $rows) (local.get $lanes) (local.get $sums) (local.get $weightCount)))
        ;; 3. store
        (if (i32.gt_u (local.get $rows) (local.get $skip))
          (then
            (if (i32.eq (local.get $lanes) (i32.const 1))
              (then ;; one line: store it as a single row
                (call $storeRows (local.get $dstType)
                  (i32.add (local.get $out) (i32.shl (local.get $skip) (i32.const 3)))
                  (i32.const 1) (i32.sub (local.get $rows) (local.get $skip))
                  (i32.add (local.get $dst) (i32.mul (local.get $g) (local.get $dstGroupStride)))
                  (i32.const 0) (local.get $dstRowStride)))
              (else
                (call $storeRows (local.get $dstType)
                  (i32.add (local.get $out) (i32.mul (local.get $skip) (local.get $rowBytes)))
                  (i32.sub (local.get $rows) (local.get $skip)) (local.get $lanes)
                  (i32.add (local.get $dst) (i32.mul (local.get $g) (local.get $dstGroupStride)))
                  (local.get $dstRowStride) (local.get $dstLaneStride))))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group))))
)
